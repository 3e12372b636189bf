import { pipelineDefinition } from '../../deployment/definition';
import { StorageRejectedError, StorageUnavailableError } from './reading-store';

/** S3 answers some retryable conditions with a 4xx status; these are still "try again later". */
const TRANSIENT_4XX_NAMES = new Set([
  'RequestTimeout',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? Reflect.get(error, name) : undefined;
}

/** HTTP status of an SDK service error; undefined for network errors (no response at all). */
export function httpStatusOf(error: unknown): number | undefined {
  const status = field(field(error, '$metadata'), 'httpStatusCode');
  return typeof status === 'number' ? status : undefined;
}

export function errorNameOf(error: unknown): string {
  const name = field(error, 'name');
  return typeof name === 'string' ? name : 'Error';
}

/** The key already exists (412 PreconditionFailed): read the object and compare. */
export function isPreconditionFailed(error: unknown): boolean {
  return errorNameOf(error) === 'PreconditionFailed' || httpStatusOf(error) === 412;
}

/**
 * Another conditional write to the key is still in progress (409 ConditionalRequestConflict on
 * real S3): the object may not exist yet, so it cannot be read (and without s3:ListBucket a
 * GetObject of a missing key is a 403). S3's advice is to retry the upload.
 */
export function isConditionalRequestConflict(error: unknown): boolean {
  return errorNameOf(error) === 'ConditionalRequestConflict' || httpStatusOf(error) === 409;
}

/** 403 AccessDenied: on a GetObject without s3:ListBucket, also what a missing key looks like. */
export function isAccessDenied(error: unknown): boolean {
  return errorNameOf(error) === 'AccessDenied' || httpStatusOf(error) === 403;
}

export function isNoSuchKey(error: unknown): boolean {
  return errorNameOf(error) === 'NoSuchKey';
}

/** Maps an S3/SDK failure to a storage error: unavailable (retry) unless S3 refused for good. */
export function toStorageError(
  error: unknown,
  operation: string,
  key: string,
): StorageUnavailableError | StorageRejectedError {
  const name = errorNameOf(error);
  const status = httpStatusOf(error);
  const reason = error instanceof Error ? error.message : String(error);
  const permanent =
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 408 &&
    status !== 429 &&
    !TRANSIENT_4XX_NAMES.has(name);
  if (permanent) {
    return new StorageRejectedError(
      `S3 refused ${operation} ${key}: ${name} (HTTP ${status}): ${reason}. Check ${pipelineDefinition.function.bucketEnvVar}, the bucket and the function's permissions`,
      { cause: error },
    );
  }
  return new StorageUnavailableError(
    `S3 ${operation} ${key} failed: ${name}${status === undefined ? '' : ` (HTTP ${status})`}: ${reason}`,
    { cause: error },
  );
}
