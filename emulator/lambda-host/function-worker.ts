/**
 * One execution environment: a worker thread running the worker runtime over the function's
 * bundle, with the function's environment, memory cap and log stream; and how its crash reads.
 */
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { errorCode } from '../../model/error-code';
import { type FunctionConfig, functionArn, logGroupName } from './function-environment';
import type { FunctionError, WorkerSetup } from './protocol';

export interface FunctionWorkerOptions {
  /** The bundled worker runtime script. */
  runtimePath: string;
  /** The function's bundle, loaded once by the runtime (the cold start). */
  bundlePath: string;
  exportName: string;
  config: FunctionConfig;
  /** The function's environment (each worker gets its own copy, as each sandbox does). */
  environment: Record<string, string>;
  /** Cap of the worker's young generation (MB); undefined: V8's default. */
  workerYoungGenerationMb?: number;
  /** Where the function's stdout and stderr go (its log group). */
  logSink: Writable;
}

/** Starts an execution environment; its stdout and stderr go to the log sink. */
export function startFunctionWorker(options: FunctionWorkerOptions): Worker {
  const { config } = options;
  const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
  const setup: WorkerSetup = {
    bundlePath: options.bundlePath,
    exportName: options.exportName,
    functionName: config.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(config),
    memoryLimitInMB: String(config.memoryMB),
    logGroupName: logGroupName(config),
    logStreamName,
  };
  const worker = newFunctionWorker(options.runtimePath, {
    workerData: setup,
    env: { ...options.environment, AWS_LAMBDA_LOG_STREAM_NAME: logStreamName },
    stdout: true,
    stderr: true,
    // The function's memory setting caps its heap, so a leak fails like it would on Lambda.
    resourceLimits: {
      maxOldGenerationSizeMb: config.memoryMB,
      ...(options.workerYoungGenerationMb !== undefined
        ? { maxYoungGenerationSizeMb: options.workerYoungGenerationMb }
        : {}),
    },
  });
  worker.stdout.pipe(options.logSink, { end: false });
  worker.stderr.pipe(options.logSink, { end: false });
  return worker;
}

/** Node flags that preload module hooks (tsx under `npm start`/`npm run dev`, other loaders). */
const MODULE_HOOK_FLAGS = new Set([
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
]);

/** The host's Node flags without module hooks, or undefined when it has none (inherit as is). */
export function execArgvWithoutModuleHooks(execArgv: readonly string[]): string[] | undefined {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] ?? '';
    const [name] = arg.split('=');
    if (name !== undefined && MODULE_HOOK_FLAGS.has(name)) {
      if (!arg.includes('=')) i += 1; // the flag's value is the next argument
      continue;
    }
    kept.push(arg);
  }
  return kept.length === execArgv.length ? undefined : kept;
}

/**
 * A worker that does not inherit the host's module hooks. The runtime and the handler are
 * self-contained bundles, as on Lambda; inherited, tsx re-processes the 2 MB handler bundle in every
 * worker (bench/ measured ~150 MB more heap and ~400 ms more cold start per worker, and an emulator
 * RSS of 1.3 GB under load). If Node refuses an explicit execArgv (flags such as
 * --max-old-space-size are process-wide), the worker inherits the flags as before.
 */
function newFunctionWorker(script: string, options: WorkerOptions): Worker {
  const execArgv = execArgvWithoutModuleHooks(process.execArgv);
  if (execArgv === undefined) return new Worker(script, options);
  try {
    return new Worker(script, { ...options, execArgv });
  } catch (error) {
    if (errorCode(error) !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(script, options);
  }
}

/** A worker's 'error' event as the function error Lambda reports for a crashed runtime. */
export function crashError(error: Error): FunctionError {
  const code = errorCode(error);
  return {
    errorType:
      code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? 'Runtime.OutOfMemory'
        : `Runtime.${error.name || 'Error'}`,
    errorMessage: error.message,
    trace: (error.stack ?? '').split('\n'),
  };
}
