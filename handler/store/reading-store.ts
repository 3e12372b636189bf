import type { StoredRecord } from '../../model';

/** What a conditional write found: written now, the same reading already there, or another one. */
export type PutOutcome = 'stored' | 'duplicate' | 'conflict';

/** Where readings are kept. Implementations never overwrite an existing object. */
export interface ReadingStore {
  putIfAbsent(
    key: string,
    record: StoredRecord,
    options?: { signal?: AbortSignal },
  ): Promise<PutOutcome>;
}

/** Storage did not answer or asked us to slow down (network, 5xx, throttling): retry later. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailable';
}

/**
 * Storage refused the request for a reason a retry will not fix (no such bucket, access denied):
 * the deployment needs attention.
 */
export class StorageRejectedError extends Error {
  override readonly name = 'StorageRejected';
}

export type StorageError = StorageUnavailableError | StorageRejectedError;

export function isStorageError(error: unknown): error is StorageError {
  return error instanceof StorageUnavailableError || error instanceof StorageRejectedError;
}
