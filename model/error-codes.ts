/**
 * The `code` the function puts in its 5xx bodies (docs/CONTRACT.md, "Responses"). API Gateway's
 * own 5xx bodies carry only a message (`{"message":"Internal server error"}` when Lambda throttles
 * the function), so a client tells the two apart by this field.
 */
export const FUNCTION_ERROR_CODES = {
  /** 503: S3 unavailable, throttling or too slow. Retry the same request. */
  storageUnavailable: 'StorageUnavailable',
  /** 500: S3 refused the write for good (AccessDenied, NoSuchBucket). Retrying cannot help. */
  storageRejected: 'StorageRejected',
  /** 500: the function lacks its configuration (no bucket name). Retrying cannot help. */
  notConfigured: 'FunctionNotConfigured',
  /** 500: an unexpected failure inside the function; a retry may succeed. */
  internal: 'InternalError',
} as const;

export type FunctionErrorCode = (typeof FUNCTION_ERROR_CODES)[keyof typeof FUNCTION_ERROR_CODES];

/** Codes of a broken deployment: someone must fix it, so clients do not retry these. */
export const DEPLOYMENT_ERROR_CODES: ReadonlySet<string> = new Set<FunctionErrorCode>([
  FUNCTION_ERROR_CODES.storageRejected,
  FUNCTION_ERROR_CODES.notConfigured,
]);
