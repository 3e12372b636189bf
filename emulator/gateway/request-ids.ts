import { randomBytes, randomUUID } from 'node:crypto';

/** The ids API Gateway gives each request: request id, extended id, X-Ray trace header. */
export interface RequestIds {
  requestId: string;
  /** `x-amz-apigw-id` / `extendedRequestId`: 16 characters of base64. */
  extendedRequestId: string;
  traceId: string;
}

export function newRequestIds(now: Date): RequestIds {
  const seconds = Math.floor(now.getTime() / 1000).toString(16);
  return {
    requestId: randomUUID(),
    extendedRequestId: randomBytes(11).toString('base64'),
    traceId: `Root=1-${seconds}-${randomBytes(12).toString('hex')}`,
  };
}
