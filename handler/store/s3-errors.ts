import { pipelineDefinition } from '../../pipeline/definition';
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

/**
 * The key already exists (412 PreconditionFailed), or another conditional write to it is in
 * progress (409 ConditionalRequestConflict on real S3): either way, read the object and compare.
 */
export function isConditionalWriteFailure(error: unknown): boolean {
  const name = errorNameOf(error);
  const status = httpStatusOf(error);
  return (
    name === 'PreconditionFailed' ||
    name === 'ConditionalRequestConflict' ||
    status === 412 ||
    status === 409
  );
}

export function isNoSuchKey(error: unknown): boolean {
  return errorNameOf(error) === 'NoSuchKey' || httpStatusOf(error) === 404;
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
