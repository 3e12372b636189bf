import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../gateway/body';
import type { FunctionHost } from '../lambda-host/function-host';
import { InvocationCancelledError, type InvokeOutcome } from '../lambda-host/worker-pool';
import type { EmulatorLogger } from '../log';
import { ASYNC_PAYLOAD_LIMIT, lambdaErrors, SYNC_PAYLOAD_LIMIT } from './errors';

/** What the Lambda API needs of the function host. */
export type HostedFunction = Pick<
  FunctionHost,
  'config' | 'handler' | 'variables' | 'invoke' | 'code'
>;

const invocationTypes = ['RequestResponse', 'Event', 'DryRun'] as const;
type InvocationType = (typeof invocationTypes)[number];

export interface InvokeContext {
  request: IncomingMessage;
  response: ServerResponse;
  fn: HostedFunction;
  logger: EmulatorLogger;
}

/**
 * Lambda's Invoke: RequestResponse answers with the function's result, or with its error
 * (`X-Amz-Function-Error: Unhandled`, body `{errorType, errorMessage, trace}`), and with
 * `LogType: Tail` the last 4 KB of the invocation's log in `X-Amz-Log-Result`. Event answers 202
 * and runs the invocation in the background (returned as `background`, so the emulator can wait for it on stop);
 * DryRun answers 204. Throws a LambdaServiceError for a request Lambda itself would refuse.
 */
export async function invoke(context: InvokeContext): Promise<{ background?: Promise<void> }> {
  const { request, response, fn } = context;
  const invocationType = header(request, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (!isInvocationType(invocationType)) throw lambdaErrors.invalidInvocationType(invocationType);
  const logType = header(request, 'x-amz-log-type') ?? 'None';
  if (logType !== 'None' && logType !== 'Tail') throw lambdaErrors.invalidLogType(logType);

  const limit = invocationType === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  const read = await readBody(request, limit);
  if (read.kind === 'aborted') return {}; // the caller is gone: nothing to run or answer
  if (read.kind === 'too-large') throw lambdaErrors.requestTooLarge(limit);
  const event = eventText(read.body);

  if (invocationType === 'DryRun') {
    // The function exists and the caller may invoke it: all a dry run checks.
    response.writeHead(204, { 'x-amzn-RequestId': randomUUID() }).end();
    return {};
  }
  if (invocationType === 'Event') {
    const running = fn.invoke(event);
    response.writeHead(202, { 'x-amzn-RequestId': randomUUID(), 'Content-Length': 0 }).end();
    const background = running.then(
      (outcome) => reportEventOutcome(context.logger, outcome),
      (error: unknown) => context.logger.warn(`Event invocation not run: ${String(error)}`),
    );
    return { background };
  }

  // The caller leaving withdraws an invocation still waiting for an instance, as on the gateway.
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableEnded) controller.abort();
  });
  let outcome: InvokeOutcome;
  try {
    outcome = await fn.invoke(event, { signal: controller.signal, logTail: logType === 'Tail' });
  } catch (error) {
    if (error instanceof InvocationCancelledError) return {};
    throw lambdaErrors.serviceUnavailable(
      `The function could not be invoked (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': outcome.awsRequestId,
    ...(outcome.logTail !== undefined && { 'X-Amz-Log-Result': outcome.logTail }),
  };
  let body: string;
  if (outcome.kind === 'result' && Buffer.byteLength(outcome.payload) <= SYNC_PAYLOAD_LIMIT) {
    body = outcome.payload;
  } else {
    const error =
      outcome.kind === 'error'
        ? outcome.error
        : {
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size exceeded maximum allowed payload size (${SYNC_PAYLOAD_LIMIT} bytes).`,
            trace: [],
          };
    headers['X-Amz-Function-Error'] = 'Unhandled';
    body = JSON.stringify(error);
  }
  if (response.destroyed) return {};
  response.writeHead(200, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  response.end(body);
  return {};
}

function isInvocationType(value: string): value is InvocationType {
  return invocationTypes.some((type) => type === value);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The event as JSON text; an empty payload is `{}`, as on Lambda. */
function eventText(body: Buffer): string {
  const text = body.toString('utf8');
  if (text.trim() === '') return '{}';
  try {
    JSON.parse(text);
  } catch (error) {
    throw lambdaErrors.payloadNotJson(error instanceof Error ? error.message : String(error));
  }
  return text;
}

/** Lambda retries a failed Event invocation twice over minutes; the emulator runs it once. */
function reportEventOutcome(logger: EmulatorLogger, outcome: InvokeOutcome): void {
  if (outcome.kind === 'error') {
    logger.warn(
      `Event invocation ${outcome.awsRequestId} failed: ${outcome.error.errorType}: ${outcome.error.errorMessage} (not retried: the emulator runs an Event invocation once)`,
    );
  } else logger.debug(`Event invocation ${outcome.awsRequestId} done`);
}
