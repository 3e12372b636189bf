/**
 * The embedded pipeline: API Gateway (REST, Lambda proxy) + Lambda + S3 in this Node process, no
 * Docker, no account. Every deployment fact comes from pipeline/definition.ts.
 *
 *   const pipeline = await new EmbeddedPipeline({ dataDir: '.pipeline' }).start();
 *   // POST pipeline.apiUrl (http://127.0.0.1:<port>/prod/events) with x-api-key: pipeline.apiKey
 *   await pipeline.stop();
 */
import path from 'node:path';
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { pipelineDefinition } from '../pipeline/definition';
import type { PipelineTarget, S3Settings } from '../pipeline/target';
import { loadOrCreateApiIdentity } from './api-key';
import { type StartedGateway, startGateway } from './gateway/server';
import type { ThrottleSettings } from './gateway/token-bucket';
import { FunctionHost, type FunctionLogs } from './lambda/function-host';
import { consoleLogger, type EmulatorLogger } from './log';
import { dataLayout, repoRoot } from './paths';
import { RestartableS3, type StorageControl } from './storage';

export type { PipelineTarget, S3Settings } from '../pipeline/target';
export type { FunctionLogs } from './lambda/function-host';
export type { EmulatorLogger } from './log';
export { consoleLogger, silentLogger } from './log';
export type { StorageControl } from './storage';

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
  /** Most function instances at once (worker threads); more requests wait. Default 4. */
  concurrency?: number;
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
  logger?: EmulatorLogger;
}

export interface StartedPipeline extends PipelineTarget {
  /** The emulator's own S3 endpoint, with its dummy credentials. */
  readonly s3: Required<S3Settings>;
  /** Absolute data directory. */
  dataDir: string;
  /** Where the bucket's objects are on disk: `<s3Dir>/<bucket>/<key>`. */
  s3Dir: string;
  apiId: string;
  apiKeyId: string;
  /** The function's log file, when `functionLogs` is 'file'. */
  functionLogFile: string | undefined;
  /** Fault hook: stop and restart the S3 endpoint (same port and data) while the rest runs. */
  storage: StorageControl;
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

    const identity = await loadOrCreateApiIdentity(layout.apiKeyFile, options.apiKey);
    const stops: Array<() => Promise<void>> = [];
    const stopAll = async (): Promise<void> => {
      for (const stop of stops.splice(0).reverse()) await stop();
    };
    try {
      const s3 = await RestartableS3.start({
        dataDir: layout.s3Dir,
        port: options.s3Port ?? 0,
        host,
      });
      stops.push(() => s3.stop());
      const s3Settings: Required<S3Settings> = {
        endpoint: s3.url,
        region,
        forcePathStyle: true,
        credentials: { ...credentials },
      };
      await createBucket(s3Settings, bucket);

      const functionHost = await FunctionHost.start({
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
        logDir: layout.logDir,
        bucket,
        s3Endpoint: s3.url,
        concurrency: options.concurrency ?? 4,
        watch: options.watch ?? false,
        functionLogs: options.functionLogs ?? 'file',
        extraEnvironment: options.environment,
        logger,
      });
      stops.push(() => functionHost.stop());

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
        integration: (event, signal) => functionHost.invoke(event, signal),
        logger,
      });
      stops.push(() => gateway.stop());

      const route = api.routes[0]?.path ?? '/';
      const apiUrl = `${gateway.baseUrl}/${api.stage}${route}`;
      logger.info(
        `ready in ${(performance.now() - started).toFixed(0)} ms: API ${apiUrl}, S3 ${s3.url} (bucket ${bucket}), data ${layout.root}`,
      );
      let stopping: Promise<void> | undefined;
      return {
        apiUrl,
        apiKey: identity.apiKey,
        bucket,
        s3: s3Settings,
        dataDir: layout.root,
        s3Dir: layout.s3Dir,
        apiId: identity.apiId,
        apiKeyId: identity.apiKeyId,
        functionLogFile: functionHost.logFile,
        storage: s3,
        stop: () => {
          stopping ??= stopAll().then(() => logger.info('stopped'));
          return stopping;
        },
      };
    } catch (error) {
      await stopAll();
      throw error;
    }
  }
}

async function createBucket(settings: S3Settings, bucket: string): Promise<void> {
  const client = new S3Client(settings);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    // The data directory keeps the bucket from an earlier run.
    if (!(error instanceof BucketAlreadyOwnedByYou || error instanceof BucketAlreadyExists))
      throw error;
  } finally {
    client.destroy();
  }
}
