/**
 * The function's runtime inside a worker thread, like Lambda's Node.js runtime interface client:
 * loads the bundle once (init, timed), then runs one invocation at a time with a Lambda context and
 * returns the result serialised as JSON. Bundled by esbuild, so it runs the same under jest, tsx or
 * plain node. It imports nothing but Node built-ins.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import {
  type FunctionError,
  type FunctionFaultKind,
  type InvokeMessage,
  LOG_TAIL_BYTES,
  type WorkerMessage,
  type WorkerSetup,
} from './protocol';

type Handler = (event: unknown, context: Context) => unknown;

// Stack traces point at the handler's TypeScript sources, as with NODE_OPTIONS=--enable-source-maps.
process.setSourceMapsEnabled(true);

const port = parentPort;
if (port === null) throw new Error('worker-runtime runs inside a worker thread only');
const setup = workerData as WorkerSetup;

function toFunctionError(error: unknown, fallbackType: string): FunctionError {
  if (error instanceof Error) {
    return {
      errorType: error.name || fallbackType,
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: fallbackType, errorMessage: String(error), trace: [] };
}

/** Sends a message with the log text written before it, so the host writes the two in order. */
function send(message: WorkerMessage): void {
  const log = takeLog();
  port?.postMessage(log === undefined ? message : { ...message, log });
}

/** The last bytes written while one invocation runs, as Lambda keeps them for `LogType: Tail`. */
class LogTail {
  private chunks: Buffer[] = [];
  private size = 0;

  append(chunk: unknown, encoding: unknown): void {
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(
            chunk,
            typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8',
          )
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk)
          : undefined;
    if (bytes === undefined) return;
    this.chunks.push(bytes);
    this.size += bytes.length;
    // Bounded whatever the function writes: only the tail is ever returned.
    if (this.size > 2 * LOG_TAIL_BYTES) {
      const kept = Buffer.concat(this.chunks).subarray(-LOG_TAIL_BYTES);
      this.chunks = [kept];
      this.size = kept.length;
    }
  }

  base64(): string {
    return Buffer.concat(this.chunks).subarray(-LOG_TAIL_BYTES).toString('base64');
  }
}

// Everything the function writes (console, Powertools) is its log. A worker's own stdout sends
// each write to the host thread as a message the host answers; here the text of one turn of the
// event loop goes as one message, or with the invocation's result when it is ready in that turn.
let tail: LogTail | undefined;
let pendingLog = '';

function logText(chunk: unknown, encoding: unknown): string {
  if (typeof chunk === 'string') {
    return typeof encoding === 'string' && encoding !== 'utf8' && Buffer.isEncoding(encoding)
      ? Buffer.from(chunk, encoding).toString('utf8')
      : chunk;
  }
  return chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';
}

function takeLog(): string | undefined {
  if (pendingLog === '') return undefined;
  const text = pendingLog;
  pendingLog = '';
  return text;
}

function flushLog(): void {
  const text = takeLog();
  if (text !== undefined) port?.postMessage({ type: 'log', text } satisfies WorkerMessage);
}

for (const stream of [process.stdout, process.stderr]) {
  stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    tail?.append(chunk, encoding);
    if (pendingLog === '') setImmediate(flushLog);
    pendingLog += logText(chunk, encoding);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as typeof stream.write;
}
// process.exit() ends the thread before the setImmediate; the host reads this before the exit.
process.on('exit', flushLog);

function loadHandler(): Handler {
  const loaded: unknown = createRequire(setup.bundlePath)(setup.bundlePath);
  const candidate =
    typeof loaded === 'object' && loaded !== null
      ? (loaded as Record<string, unknown>)[setup.exportName]
      : undefined;
  if (typeof candidate !== 'function') {
    const error = new Error(
      `${setup.bundlePath} does not export a function named ${setup.exportName}`,
    );
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return candidate as Handler;
}

function deprecated(name: string): () => never {
  return () => {
    throw new Error(`context.${name}() is not available on nodejs24.x: return or throw instead`);
  };
}

function contextFor(message: InvokeMessage): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: setup.functionName,
    functionVersion: setup.functionVersion,
    invokedFunctionArn: setup.invokedFunctionArn,
    memoryLimitInMB: setup.memoryLimitInMB,
    awsRequestId: message.awsRequestId,
    logGroupName: setup.logGroupName,
    logStreamName: setup.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    done: deprecated('done'),
    fail: deprecated('fail'),
    succeed: deprecated('succeed'),
  };
}

type InvocationMessage = Extract<WorkerMessage, { type: 'result' | 'error' }>;

/** A failed invocation, logged as Lambda's runtime logs it, in the function's log. */
function fail(awsRequestId: string, error: FunctionError): InvocationMessage {
  process.stderr.write(
    `${new Date().toISOString()}\t${awsRequestId}\tERROR\tInvoke Error \t${JSON.stringify(error)}\n`,
  );
  return { type: 'error', awsRequestId, error };
}

/** An injected fault, done the way a real function fails: throw, hang, or end the runtime. */
async function injectFault(kind: FunctionFaultKind, by: string): Promise<void> {
  if (kind === 'exit') {
    process.stderr.write(`${by}: the runtime exits\n`);
    process.exit(1); // in a worker thread: ends this execution environment only
  }
  if (kind === 'timeout') await new Promise<never>(() => {}); // until the host's timeout
  const error = new Error(`${by} injected this error`);
  error.name = 'InjectedFault';
  throw error;
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  const { awsRequestId } = message;
  tail = message.logTail === true ? new LogTail() : undefined;
  const started = performance.now();
  process.stdout.write(`START RequestId: ${awsRequestId} Version: ${setup.functionVersion}\n`);
  const outcome = await run(handler, message);
  report(awsRequestId, performance.now() - started);
  const logTail = tail?.base64();
  tail = undefined;
  send(logTail === undefined ? outcome : { ...outcome, logTail });
}

async function run(handler: Handler, message: InvokeMessage): Promise<InvocationMessage> {
  const { awsRequestId } = message;
  let result: unknown;
  const { fault } = message;
  try {
    if (fault !== undefined && fault.delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    }
    if (fault?.before !== undefined) await injectFault(fault.before, fault.by);
    result = await handler(JSON.parse(message.event), contextFor(message));
    if (fault?.after !== undefined) await injectFault(fault.after, fault.by);
  } catch (error) {
    return fail(awsRequestId, toFunctionError(error, 'Error'));
  }
  try {
    // What Lambda returns to API Gateway is this JSON text (`undefined` becomes `null`).
    return { type: 'result', awsRequestId, payload: JSON.stringify(result) ?? 'null' };
  } catch (error) {
    return fail(awsRequestId, toFunctionError(error, 'Runtime.MalformedResponse'));
  }
}

/** Lambda's END and REPORT lines; the first invocation of an environment reports its init. */
function report(awsRequestId: string, durationMs: number): void {
  const init =
    initDurationMs === undefined ? '' : `\tInit Duration: ${initDurationMs.toFixed(2)} ms`;
  initDurationMs = undefined;
  process.stdout.write(
    `END RequestId: ${awsRequestId}\nREPORT RequestId: ${awsRequestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${setup.memoryLimitInMB} MB${init}\t\n`,
  );
}

const started = performance.now();
let handler: Handler | undefined;
let initDurationMs: number | undefined;
try {
  handler = loadHandler();
  initDurationMs = performance.now() - started;
  send({ type: 'ready', initMs: initDurationMs });
} catch (error) {
  send({ type: 'init-error', error: toFunctionError(error, 'Runtime.ImportModuleError') });
}

port.on('message', (message: InvokeMessage) => {
  if (handler !== undefined) void invoke(handler, message);
});
