/**
 * The embedded pipeline: API Gateway (REST, Lambda proxy) + Lambda + S3 in this Node process, no
 * Docker, no account. Every deployment fact comes from deployment/definition.ts.
 *
 *   const pipeline = await new EmbeddedPipeline({ dataDir: '.pipeline' }).start();
 *   // POST pipeline.apiUrl (http://127.0.0.1:<port>/prod/events) with x-api-key: pipeline.apiKey
 *   await pipeline.stop();
 */
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { pipelineDefinition } from '../deployment/definition';
import { repoRoot } from '../deployment/repo-root';
import type { LambdaSettings, PipelineTarget, S3Settings } from '../deployment/target';
import { ActivityFeed, loggerWithActivity } from './activity';
import { loadOrCreateApiIdentity } from './api-key';
import { faultControlApi } from './faults/control-api';
import { type FaultControl, Faults } from './faults/fault-control';
import { functionFaultHook, gatewayFaultHook, s3FaultHook } from './faults/hooks';
import { type StartedGateway, startGateway } from './gateway/server';
import type { ThrottleSettings } from './gateway/token-bucket';
import { createLambdaApi } from './lambda-api';
import { defaultBuildCacheDir } from './lambda-host/bundler';
import { FunctionHost, type FunctionLogs } from './lambda-host/function-host';
import { consoleLogger, type EmulatorLogger } from './log';
import { dataLayout } from './paths';
import { RestartableS3, type StorageControl } from './restartable-s3';

export type { LambdaSettings, PipelineTarget, S3Settings } from '../deployment/target';
export type { ActivityFeed, ActivityListener, FunctionLogLine, GatewayExchange } from './activity';
export type { ActiveFault, FaultControl } from './faults/fault-control';
export { FaultSpecError, parseFaultSpec } from './faults/spec';
export type { FunctionLogs } from './lambda-host/function-host';
export type { EmulatorLogger } from './log';
export { consoleLogger, silentLogger } from './log';
export type { StorageControl } from './restartable-s3';

export interface EmbeddedPipelineOptions {
  /** State directory: API key, bundles, function logs and S3 objects. Default `.pipeline`. */
  dataDir?: string;
  /** Interface to bind both servers to. Default 127.0.0.1. */
  host?: string;
  /** Gateway port; 0 (default) picks a free one. */
  port?: number;
  /** S3 endpoint port; 0 (default) picks a free one. */
  s3Port?: number;
  /** Bucket the function writes to. Default `<api name>-events`. */
  bucket?: string;
  /**
   * Most function instances at once (worker threads); more requests wait. Default 4: each
   * invocation waits on its S3 PUT, so even on 2 cores 4 workers serve ~15-20 % more batch-1
   * requests than 2 (bench B2); 1 halves the memory under load for ~25 % less throughput.
   */
  concurrency?: number;
  /**
   * Cap (MB) of each function worker's young generation. Default 8: under load V8 otherwise
   * grows every worker's heap, and the emulator's RSS with it. Lambda's own limit is the old
   * generation (the function's memory), which applies in any case.
   */
  workerYoungGenerationMb?: number;
  /**
   * Where handler bundles are kept for reuse across starts while their inputs are unchanged.
   * Default `node_modules/.cache/push-pipeline-emulator`; `false`: bundle on every start.
   */
  buildCache?: string | false;
  /** Usage-plan throttle. Default: the definition's. */
  throttle?: ThrottleSettings;
  /** Gateway integration timeout (504 past it). Default: the definition's (29 s). */
  integrationTimeoutMs?: number;
  /** Function timeout (a function error, so 502). Default: the definition's timeoutSeconds. */
  functionTimeoutMs?: number;
  /** Largest request body (413 past it). Default: the definition's (10 MB). */
  maxPayloadBytes?: number;
  /** Use this API key value instead of the one stored in the data directory. */
  apiKey?: string;
  /** Handler entry file (absolute, or relative to the repository root). Default: the definition's. */
  handlerEntry?: string;
  /** Export of the entry to call. Default: the definition's. */
  handlerExport?: string;
  /** Rebuild and reload the handler when its sources change. Default false. */
  watch?: boolean;
  /** Where the function's stdout/stderr go. Default 'file' (`<dataDir>/logs/<function>.log`). */
  functionLogs?: FunctionLogs;
  /** Extra function environment variables (they win over the defaults). */
  environment?: Record<string, string>;
  /** Faults active from the start, as specs (README "Fault injection"); a bad one fails start(). */
  faults?: readonly string[];
  logger?: EmulatorLogger;
}

export interface StartedPipeline extends PipelineTarget {
  /** The emulator's own S3 endpoint, with its dummy credentials. */
  readonly s3: Required<S3Settings>;
  /** The Lambda API (Invoke, GetFunction) on the gateway's port, with dummy credentials. */
  readonly lambda: Required<LambdaSettings>;
  /** Absolute data directory. */
  dataDir: string;
  /** Where the bucket's objects are on disk: `<s3Dir>/<bucket>/<key>`. */
  s3Dir: string;
  apiId: string;
  apiKeyId: string;
  /** The function's log file, when `functionLogs` is 'file'. */
  functionLogFile: string | undefined;
  /** Outage hook: stop and restart the S3 endpoint (same port and data) while the rest runs. */
  storage: StorageControl;
  /** Fault injection: errors and latency in S3, the function and the gateway, set while it runs. */
  faults: FaultControl;
  /** Live activity (gateway exchanges, function log lines) for watchers such as the console. */
  activity: ActivityFeed;
  /** Graceful: requests in flight finish, then the gateway, the function workers and S3 stop. */
  stop(): Promise<void>;
}

/** The embedded target's fixed names; LocalStack's account id, so ARNs look alike on both. */
export const embeddedDefaults = {
  bucket: `${pipelineDefinition.api.name}-events`,
  region: 'us-east-1',
  accountId: '000000000000',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
} as const;
const { region, accountId, credentials } = embeddedDefaults;

const DEFAULT_YOUNG_GENERATION_MB = 8;
/** Function instances at once unless `concurrency` says otherwise (see the option). */
export const DEFAULT_CONCURRENCY = 4;

export class EmbeddedPipeline {
  constructor(private readonly options: EmbeddedPipelineOptions = {}) {}

  async start(): Promise<StartedPipeline> {
    const started = performance.now();
    const { options } = this;
    const logger = options.logger ?? consoleLogger();
    const layout = dataLayout(options.dataDir ?? '.pipeline');
    const host = options.host ?? '127.0.0.1';
    const bucket = options.bucket ?? embeddedDefaults.bucket;
    const { api } = pipelineDefinition;
    const fn = pipelineDefinition.function;
    const activity = new ActivityFeed();

    // Checked before anything starts: a bad spec is the caller's mistake, nothing to clean up.
    const faults = new Faults(logger);
    for (const spec of options.faults ?? []) faults.add(spec);

    const stops: Array<() => Promise<void>> = [];
    // Every part is stopped even when one fails, so no server is left holding its port.
    const stopAll = async (): Promise<void> => {
      const failures: unknown[] = [];
      for (const stop of stops.splice(0).reverse()) await stop().catch((e) => failures.push(e));
      if (failures.length > 0) throw new AggregateError(failures, 'stopping the emulator failed');
    };
    try {
      // S3 (with the bucket) and the function's bundles do not wait for each other.
      const s3Ready = (async () => {
        const s3 = await RestartableS3.start({
          dataDir: layout.s3Dir,
          port: options.s3Port ?? 0,
          host,
          faults: s3FaultHook(faults),
        });
        stops.push(() => s3.stop());
        await createBucket(s3.url, bucket);
        return s3;
      })();
      const hostReady = FunctionHost.start({
        entry: path.resolve(repoRoot, options.handlerEntry ?? fn.entry),
        exportName: options.handlerExport ?? fn.exportName,
        config: {
          functionName: `${api.name}-handler`,
          region,
          accountId,
          memoryMB: fn.memoryMB,
          timeoutMs: options.functionTimeoutMs ?? fn.timeoutSeconds * 1000,
        },
        buildDir: layout.buildDir,
        buildCacheDir: options.buildCache ?? defaultBuildCacheDir,
        logDir: layout.logDir,
        bucket,
        s3Endpoint: s3Ready.then((s3) => s3.url),
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        workerYoungGenerationMb: options.workerYoungGenerationMb ?? DEFAULT_YOUNG_GENERATION_MB,
        watch: options.watch ?? false,
        functionLogs: options.functionLogs ?? 'file',
        extraEnvironment: options.environment,
        logger: loggerWithActivity(logger, activity),
        faults: functionFaultHook(faults),
        activity,
      });
      const [identityResult, s3Result, hostResult] = await Promise.allSettled([
        loadOrCreateApiIdentity(layout.apiKeyFile, options.apiKey),
        s3Ready,
        hostReady,
      ]);
      if (hostResult.status === 'fulfilled') {
        const functionHost = hostResult.value;
        stops.push(() => functionHost.stop());
      }
      if (identityResult.status === 'rejected') throw identityResult.reason;
      if (s3Result.status === 'rejected') throw s3Result.reason;
      if (hostResult.status === 'rejected') throw hostResult.reason;
      const identity = identityResult.value;
      const s3 = s3Result.value;
      const functionHost = hostResult.value;
      const s3Settings = s3SettingsFor(s3.url);
      const lambdaApi = createLambdaApi(functionHost, logger);
      // After the gateway (pushed later, stopped first): Event invocations finish before the host stops.
      stops.push(() => lambdaApi.drain());

      const gateway: StartedGateway = await startGateway({
        host,
        port: options.port ?? 0,
        accountId,
        apiId: identity.apiId,
        stage: api.stage,
        routes: api.routes,
        apiKeyRequired: api.apiKeyRequired,
        apiKeyHeader: api.apiKeyHeader,
        apiKey: { id: identity.apiKeyId, value: identity.apiKey },
        throttle: options.throttle ?? api.throttle,
        maxPayloadBytes: options.maxPayloadBytes ?? api.maxPayloadBytes,
        integrationTimeoutMs: options.integrationTimeoutMs ?? api.integrationTimeoutMs,
        integration: (event, signal) => functionHost.invoke(event, { signal }),
        otherApis: [lambdaApi, faultControlApi(faults)],
        logger,
        faults: gatewayFaultHook(faults),
        activity,
      });
      stops.push(() => gateway.stop());

      const route = api.routes[0]?.path ?? '/';
      const apiUrl = `${gateway.baseUrl}/${api.stage}${route}`;
      logger.info(
        `ready in ${(performance.now() - started).toFixed(0)} ms: API ${apiUrl}, S3 ${s3.url} (bucket ${bucket}), Lambda API ${gateway.baseUrl} (function ${functionHost.config.functionName}), data ${layout.root}`,
      );
      let stopping: Promise<void> | undefined;
      return {
        apiUrl,
        apiKey: identity.apiKey,
        bucket,
        s3: s3Settings,
        functionName: functionHost.config.functionName,
        lambda: { endpoint: gateway.baseUrl, region, credentials: { ...credentials } },
        dataDir: layout.root,
        s3Dir: layout.s3Dir,
        apiId: identity.apiId,
        apiKeyId: identity.apiKeyId,
        functionLogFile: functionHost.logFile,
        storage: s3,
        faults,
        activity,
        stop: () => {
          stopping ??= stopAll().then(() => logger.info('stopped'));
          return stopping;
        },
      };
    } catch (error) {
      await stopAll().catch(() => undefined); // the start failure is the one to report
      throw error;
    }
  }
}

function s3SettingsFor(endpoint: string): Required<S3Settings> {
  return { endpoint, region, forcePathStyle: true, credentials: { ...credentials } };
}

/**
 * CreateBucket on the emulator's own endpoint (it creates or keeps the bucket, answering 200 as
 * us-east-1 does), as a plain request: loading the AWS SDK for this one call cost ~100 ms of start.
 */
function createBucket(endpoint: string, bucket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(`/${encodeURIComponent(bucket)}`, endpoint), { method: 'PUT' });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode === 200) resolve();
        else {
          reject(
            new Error(
              `the emulator's S3 endpoint refused to create the bucket ${bucket} (HTTP ${res.statusCode}): ${Buffer.concat(chunks).toString('utf8')}`,
            ),
          );
        }
      });
    });
    req.end();
  });
}
