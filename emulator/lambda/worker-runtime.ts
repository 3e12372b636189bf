/**
 * The function's runtime inside a worker thread, like Lambda's Node.js runtime interface client:
 * loads the bundle once (init, timed), then runs one invocation at a time with a Lambda context and
 * returns the result serialised as JSON. Bundled by esbuild, so it runs the same under jest, tsx or
 * plain node. It imports nothing but Node built-ins.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import type {
  FunctionError,
  FunctionFaultKind,
  InvokeMessage,
  WorkerMessage,
  WorkerSetup,
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

function send(message: WorkerMessage): void {
  port?.postMessage(message);
}

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

/** Reports a failed invocation, and logs it as Lambda's runtime does, in the function's log. */
function fail(awsRequestId: string, error: FunctionError): void {
  process.stderr.write(
    `${new Date().toISOString()}\t${awsRequestId}\tERROR\tInvoke Error \t${JSON.stringify(error)}\n`,
  );
  send({ type: 'error', awsRequestId, error });
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
    fail(message.awsRequestId, toFunctionError(error, 'Error'));
    return;
  }
  let payload: string;
  try {
    // What Lambda returns to API Gateway is this JSON text (`undefined` becomes `null`).
    payload = JSON.stringify(result) ?? 'null';
  } catch (error) {
    fail(message.awsRequestId, toFunctionError(error, 'Runtime.MalformedResponse'));
    return;
  }
  send({ type: 'result', awsRequestId: message.awsRequestId, payload });
}

const started = performance.now();
let handler: Handler | undefined;
try {
  handler = loadHandler();
  send({ type: 'ready', initMs: performance.now() - started });
} catch (error) {
  send({ type: 'init-error', error: toFunctionError(error, 'Runtime.ImportModuleError') });
}

port.on('message', (message: InvokeMessage) => {
  if (handler !== undefined) void invoke(handler, message);
});
