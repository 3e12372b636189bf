/**
 * API Gateway's default gateway responses: status, `{"message": ...}` body and the
 * `x-amzn-ErrorType` header (these are the REST API defaults; nothing in the stack customises them).
 */
export const gatewayErrors = {
  missingAuthenticationToken: {
    status: 403,
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
  },
  forbidden: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  throttled: { status: 429, message: 'Too Many Requests', errorType: 'ThrottlingException' },
  requestTooLarge: { status: 413, message: 'Request Too Long', errorType: undefined },
  internalError: {
    status: 500,
    message: 'Internal server error',
    errorType: 'InternalServerErrorException',
  },
  integrationFailure: {
    status: 502,
    message: 'Internal server error',
    errorType: 'InternalServerErrorException',
  },
  integrationTimeout: {
    status: 504,
    message: 'Endpoint request timed out',
    errorType: 'InternalServerErrorException',
  },
} as const;

export type GatewayError = (typeof gatewayErrors)[keyof typeof gatewayErrors];
