import type { ServerResponse } from 'node:http';

/**
 * An error of the Lambda service itself (not of the function): status, the `x-amzn-ErrorType`
 * header the SDK reads the error name from, and Lambda's `{"Type", "Message"}` body.
 */
export class LambdaServiceError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly type: 'User' | 'Service' = 'User',
  ) {
    super(message);
    this.name = errorType;
  }
}

/** Lambda's limit on a synchronous invocation's request and response payloads. */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
/** Lambda's limit on an asynchronous (Event) invocation's payload (1 MB since October 2025). */
export const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

export const lambdaErrors = {
  functionNotFound: (arn: string) =>
    new LambdaServiceError(404, 'ResourceNotFoundException', `Function not found: ${arn}`),
  unknownOperation: (method: string, path: string) =>
    new LambdaServiceError(
      404,
      'UnknownOperationException',
      `The emulator's Lambda API serves Invoke, GetFunction, GetFunctionConfiguration and ListFunctions for the pipeline's function; ${method} ${path} is none of them. The rest of the Lambda API is on LocalStack and AWS`,
    ),
  invalidInvocationType: (value: string) =>
    new LambdaServiceError(
      400,
      'ValidationException',
      `1 validation error detected: Value '${value}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    ),
  invalidLogType: (value: string) =>
    new LambdaServiceError(
      400,
      'ValidationException',
      `1 validation error detected: Value '${value}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`,
    ),
  payloadNotJson: (reason: string) =>
    new LambdaServiceError(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: ${reason}. Send the event as JSON (e.g. aws lambda invoke --cli-binary-format raw-in-base64-out --payload file://event.json)`,
    ),
  requestTooLarge: (limit: number) =>
    new LambdaServiceError(
      413,
      'RequestTooLargeException',
      `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
    ),
  serviceUnavailable: (reason: string) =>
    new LambdaServiceError(503, 'ServiceException', reason, 'Service'),
} as const;

export function sendServiceError(
  response: ServerResponse,
  error: LambdaServiceError,
  requestId: string,
): void {
  sendJson(response, error.status, { Type: error.type, Message: error.message }, requestId, {
    'x-amzn-ErrorType': error.errorType,
  });
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    ...headers,
  });
  response.end(text);
}
