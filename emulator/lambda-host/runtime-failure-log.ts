import { type FunctionError, LOG_TAIL_BYTES } from './protocol';

/**
 * The function's log lines for an invocation its environment did not finish (timeout, crash,
 * exit), written as Lambda's runtime writes them; they are the invocation's tail when asked
 * for (what the function wrote before went down with the worker, and is in the log only).
 */
export function runtimeFailureLog(
  awsRequestId: string,
  error: FunctionError,
  durationMs: number,
  memoryMB: number,
): string {
  const id = awsRequestId;
  const status = error.errorType === 'Sandbox.Timedout' ? 'timeout' : 'error';
  return (
    `${new Date().toISOString()}\t${id}\tERROR\t${error.errorType}: ${error.errorMessage}\n` +
    `END RequestId: ${id}\nREPORT RequestId: ${id}\tDuration: ${durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${memoryMB} MB\tStatus: ${status}\n`
  );
}

/** Lambda's `X-Amz-Log-Result` of a log text: its last 4 KB, base64-encoded. */
export function logTailOf(text: string): string {
  return Buffer.from(text).subarray(-LOG_TAIL_BYTES).toString('base64');
}
