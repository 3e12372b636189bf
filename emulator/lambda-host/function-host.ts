import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { pipelineDefinition } from '../../deployment/definition';
import { type ActivityFeed, teeFunctionOutput } from '../activity';
import type { EmulatorLogger } from '../log';
import { buildWorkerRuntime, bundleHandler, type HandlerBundle } from './bundler';
import { type FunctionConfig, functionEnvironment } from './function-environment';
import type { FunctionFaultKind, InjectedFunctionFault } from './protocol';
import { type InvokeOptions, type InvokeOutcome, WorkerPool } from './worker-pool';

/** The code the function runs now, as Lambda's GetFunction describes it. */
export interface FunctionCode {
  /** Base64 SHA-256 of the bundle, as Lambda's CodeSha256. */
  sha256: string;
  size: number;
  /** When this code was loaded (start, or the last reload). */
  lastModified: Date;
}

/**
 * Faults to inject into an invocation (see emulator/faults): `delayMs` before the handler, a
 * failure before it runs or after it returned; `by` names the fault.
 */
export type FunctionFaultHook = (
  phase: 'before' | 'after',
  call: string,
) => { delayMs: number; kind: FunctionFaultKind | undefined; by: string | undefined };

/** Where the function's own output goes: the terminal, a log file (its log group), or nowhere. */
export type FunctionLogs = 'console' | 'file' | 'silent';

export interface FunctionHostOptions {
  /** Absolute path of the handler entry (the definition's `function.entry`). */
  entry: string;
  exportName: string;
  config: FunctionConfig;
  buildDir: string;
  logDir: string;
  bucket: string;
  /** The emulator's S3 endpoint URL; may still be starting (the bundles do not wait for it). */
  s3Endpoint: string | Promise<string>;
  concurrency: number;
  /** Young-generation cap of each function worker's heap (MB); see WorkerPoolOptions. */
  workerYoungGenerationMb?: number;
  /** Where bundles are kept for reuse across starts; `false`: bundle on every start. */
  buildCacheDir: string | false;
  watch: boolean;
  functionLogs: FunctionLogs;
  extraEnvironment?: Record<string, string>;
  logger: EmulatorLogger;
  faults?: FunctionFaultHook;
  /** Live watchers (the console): the function's output lines, while anyone listens. */
  activity?: ActivityFeed;
}

/**
 * The Lambda side of the emulator: bundles the handler as the CDK stack does, runs it in a pool
 * of worker threads with the deployed function's environment, and reloads it on source changes.
 */
export class FunctionHost {
  private constructor(
    private readonly pool: WorkerPool,
    private readonly bundle: HandlerBundle,
    private readonly logSink: Writable,
    /** The file the function's output goes to, when `functionLogs` is 'file'. */
    readonly logFile: string | undefined,
    private readonly loaded: { bundlePath: string; at: Date },
    readonly config: FunctionConfig,
    /** Lambda's `Handler` setting: `<file>.<export>`. */
    readonly handler: string,
    /** The function's own variables (what a deployment sets; not what Lambda adds). */
    readonly variables: Readonly<Record<string, string>>,
    private readonly faults: FunctionFaultHook | undefined,
  ) {}

  static async start(options: FunctionHostOptions): Promise<FunctionHost> {
    const { logger } = options;
    let pool: WorkerPool | undefined;
    // The bundle running now (a reload replaces it), for GetFunction.
    const loaded = { bundlePath: '', at: new Date() };
    // The two bundles do not depend on each other, nor on the S3 endpoint: all three at once.
    const [runtime, handler, s3Endpoint] = await Promise.allSettled([
      buildWorkerRuntime(options.buildDir, options.buildCacheDir),
      bundleHandler({
        entry: options.entry,
        buildDir: options.buildDir,
        cacheDir: options.buildCacheDir,
        watch: options.watch,
        onRebuild: (bundlePath) => {
          logger.info(
            `handler changed: new requests use the new bundle (${path.relative(process.cwd(), options.entry)})`,
          );
          pool?.setBundle(bundlePath);
          Object.assign(loaded, { bundlePath, at: new Date() });
          void pool?.prewarm();
        },
        onRebuildError: (message) =>
          logger.error(`handler rebuild failed; still serving the previous bundle:\n${message}`),
      }),
      options.s3Endpoint,
    ]);
    if (
      runtime.status !== 'fulfilled' ||
      handler.status !== 'fulfilled' ||
      s3Endpoint.status !== 'fulfilled'
    ) {
      if (handler.status === 'fulfilled') await handler.value.dispose();
      const failure = [runtime, handler, s3Endpoint].find((r) => r.status === 'rejected');
      throw failure?.status === 'rejected' ? failure.reason : new Error('unreachable');
    }
    const bundle = handler.value;
    const logFile =
      options.functionLogs === 'file'
        ? path.join(options.logDir, `${options.config.functionName}.log`)
        : undefined;
    const ownSink = openLogSink(options.functionLogs, logFile);
    const logSink = options.activity ? teeFunctionOutput(ownSink, options.activity) : ownSink;
    pool = new WorkerPool({
      runtimePath: runtime.value,
      exportName: options.exportName,
      config: options.config,
      environment: functionEnvironment({
        config: options.config,
        bucket: options.bucket,
        s3Endpoint: s3Endpoint.value,
        taskRoot: options.buildDir,
        exportName: options.exportName,
        extra: options.extraEnvironment,
      }),
      concurrency: options.concurrency,
      workerYoungGenerationMb: options.workerYoungGenerationMb,
      logSink,
      logger,
    });
    logger.debug(
      `handler bundle ${bundle.fromCache ? 'reused from the build cache (inputs unchanged)' : 'built'}`,
    );
    pool.setBundle(bundle.bundlePath);
    Object.assign(loaded, { bundlePath: bundle.bundlePath, at: new Date() });
    const initError = await pool.prewarm();
    if (initError !== undefined) {
      logger.error(
        `the handler failed to initialise (${initError.errorType}: ${initError.errorMessage}); requests get 502 until it is fixed`,
      );
    }
    return new FunctionHost(
      pool,
      bundle,
      logSink,
      logFile,
      loaded,
      options.config,
      `index.${options.exportName}`,
      { [pipelineDefinition.function.bucketEnvVar]: options.bucket },
      options.faults,
    );
  }

  /**
   * Invokes the function with an event (as JSON text); see WorkerPool.invoke for the options. The
   * faults that are on are drawn here, so every caller (gateway, Lambda API) gets them.
   */
  invoke(event: string, options: Omit<InvokeOptions, 'fault'> = {}): Promise<InvokeOutcome> {
    const fault = this.drawFault();
    return this.pool.invoke(event, fault === undefined ? options : { ...options, fault });
  }

  /** The bundle the function runs now; read on each call, as a reload replaces it. */
  async code(): Promise<FunctionCode> {
    const { bundlePath, at } = this.loaded;
    const bytes = await readFile(bundlePath);
    return {
      sha256: createHash('sha256').update(bytes).digest('base64'),
      size: bytes.length,
      lastModified: at,
    };
  }

  private drawFault(): InjectedFunctionFault | undefined {
    if (this.faults === undefined) return undefined;
    const before = this.faults('before', 'invocation');
    const after = this.faults('after', 'invocation');
    if (before.delayMs === 0 && before.kind === undefined && after.kind === undefined) {
      return undefined;
    }
    return {
      delayMs: before.delayMs,
      ...(before.kind === undefined ? {} : { before: before.kind }),
      ...(after.kind === undefined ? {} : { after: after.kind }),
      by: before.by ?? after.by ?? 'fault',
    };
  }

  async stop(): Promise<void> {
    await this.bundle.dispose();
    await this.pool.stop();
    await new Promise<void>((resolve) => this.logSink.end(resolve));
  }
}

function openLogSink(mode: FunctionLogs, file: string | undefined): Writable {
  if (mode === 'file' && file !== undefined) {
    mkdirSync(path.dirname(file), { recursive: true });
    return writesPerTurn(createWriteStream(file, { flags: 'a' }));
  }
  const sink = new PassThrough();
  // Never end the terminal's stream when the host stops.
  if (mode === 'console') sink.pipe(process.stdout, { end: false });
  else sink.resume();
  return sink;
}

/**
 * One file write per turn of the event loop for what every function instance wrote in it, rather
 * than one per chunk (several per invocation). end() writes what is still corked.
 */
function writesPerTurn(stream: Writable): Writable {
  const write = stream.write.bind(stream);
  stream.write = ((...args: Parameters<Writable['write']>) => {
    if (stream.writableCorked === 0) {
      stream.cork();
      setImmediate(() => stream.uncork());
    }
    return write(...args);
  }) as Writable['write'];
  return stream;
}
