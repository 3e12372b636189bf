/** Messages between the Lambda host (main thread) and a function worker. Types only. */

/** Fixed per worker: what Lambda knows about the function and this execution environment. */
export interface WorkerSetup {
  bundlePath: string;
  exportName: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
}

export interface InvokeMessage {
  type: 'invoke';
  awsRequestId: string;
  /** Epoch milliseconds at which the function times out (getRemainingTimeInMillis). */
  deadline: number;
  /** The event as JSON text: the function gets its own parsed copy, as from Lambda's API. */
  event: string;
  /** Return the tail of the invocation's log (Invoke with `LogType: Tail`). */
  logTail?: boolean;
  /** A fault to inject into this invocation (the emulator's fault injection). */
  fault?: InjectedFunctionFault;
}

export type FunctionFaultKind = 'throw' | 'timeout' | 'exit';

/** Wait `delayMs`, then fail `before` the handler runs or `after` it returned (result lost). */
export interface InjectedFunctionFault {
  delayMs: number;
  before?: FunctionFaultKind;
  after?: FunctionFaultKind;
  /** Which fault, for the error message: `fault f2 (function:throw)`. */
  by: string;
}

/** A function error in Lambda's own shape (`errorType`, `errorMessage`, `trace`). */
export interface FunctionError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** What a worker sends; any message may carry `log`, the function's log text written before it. */
export type WorkerMessage = (
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: FunctionError }
  | { type: 'result'; awsRequestId: string; payload: string; logTail?: string }
  | { type: 'error'; awsRequestId: string; error: FunctionError; logTail?: string }
  | { type: 'log'; text: string }
) & { log?: string };

/** Lambda's `X-Amz-Log-Result`: the last 4 KB of the invocation's log, base64-encoded. */
export const LOG_TAIL_BYTES = 4096;
