import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { isSameReading, type StoredRecord } from '../../model';
import type { PutOutcome, ReadingStore } from './reading-store';
import { StorageRejectedError, StorageUnavailableError } from './reading-store';
import {
  isAccessDenied,
  isConditionalRequestConflict,
  isNoSuchKey,
  isPreconditionFailed,
  toStorageError,
} from './s3-errors';

export interface S3StoreOptions {
  client: S3Client;
  bucket: string;
  /** Conditional puts tried while another write of the key is in progress (default 4). */
  attempts?: number;
  /** First wait between rounds, doubled each round (default 50 ms). */
  retryDelayMs?: number;
}

/** Waits between rounds; an abort (the function's deadline) ends the wait as "unavailable". */
async function pause(ms: number, key: string, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    throw toStorageError(error, 'waiting to re-read', key);
  }
}

/** The four input fields of whatever is stored; extra fields are ignored by the comparison. */
const StoredInputFields = z.object({
  id: z.string(),
  sensor_id: z.string(),
  temperature: z.number(),
  epoch: z.number(),
});

/**
 * Readings in S3, one JSON object per key, written with `If-None-Match: *` so nothing is ever
 * overwritten. When the key exists, the stored object decides: same reading -> duplicate,
 * different -> conflict.
 */
export function createS3Store(options: S3StoreOptions): ReadingStore {
  const { client, bucket } = options;
  const attempts = options.attempts ?? 4;
  const retryDelayMs = options.retryDelayMs ?? 50;

  async function put(key: string, body: string, signal: AbortSignal | undefined) {
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
        { abortSignal: signal },
      );
      return 'stored' as const;
    } catch (error) {
      if (isPreconditionFailed(error)) return 'exists' as const;
      if (isConditionalRequestConflict(error)) return 'busy' as const;
      throw toStorageError(error, 'PutObject', key);
    }
  }

  /**
   * The stored object's text; 'gone' when it was deleted since the 412. The deployed role has no
   * s3:ListBucket (it needs none), and without it S3 answers a GetObject of a missing key with
   * 403 AccessDenied instead of 404 NoSuchKey (S3 API Reference, GetObject, "Permissions"): a
   * 403 here may mean "gone" too. The next conditional put tells which: it stores the reading if
   * the key is gone, and answers 412 again if the object is there and only unreadable.
   */
  async function read(
    key: string,
    signal: AbortSignal | undefined,
  ): Promise<{ text: string } | 'gone' | { denied: unknown }> {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: signal,
      });
      return { text: out.Body ? await out.Body.transformToString('utf-8') : '' };
    } catch (error) {
      if (isNoSuchKey(error)) return 'gone';
      if (isAccessDenied(error)) return { denied: error };
      throw toStorageError(error, 'GetObject', key);
    }
  }

  function compare(storedText: string, record: StoredRecord): PutOutcome {
    let stored: unknown;
    try {
      stored = JSON.parse(storedText);
    } catch {
      return 'conflict'; // not even JSON: certainly not this reading
    }
    const fields = StoredInputFields.safeParse(stored);
    return fields.success && isSameReading(fields.data, record) ? 'duplicate' : 'conflict';
  }

  return {
    async putIfAbsent(key, record, { signal } = {}) {
      const body = JSON.stringify(record);
      let deniedRead: unknown;
      for (let round = 0; round < attempts; round++) {
        if (round > 0) await pause(retryDelayMs * 2 ** (round - 1), key, signal);
        const outcome = await put(key, body, signal);
        if (outcome === 'stored') return 'stored';
        // 'busy': another request is writing this key right now (a retry racing its original).
        // Repeating the conditional put is safe (it never overwrites): it answers 412 once that
        // write lands, or stores the reading if that write failed.
        deniedRead = undefined;
        if (outcome === 'busy') continue;
        const stored = await read(key, signal);
        if (stored === 'gone') continue;
        if ('text' in stored) return compare(stored.text, record);
        deniedRead = stored.denied;
      }
      if (deniedRead !== undefined) {
        // Every put said the key exists and the last read was refused: not a vanished key but an
        // object the function may not read (its role, or the bucket's encryption key, changed).
        throw new StorageRejectedError(
          `S3 says ${key} exists (412) but refused GetObject with AccessDenied ${attempts} times; the function may not read what it writes: check its role's s3:GetObject on the key prefix`,
          { cause: deniedRead },
        );
      }
      throw new StorageUnavailableError(
        `S3 kept ${key} busy with another write, or it vanished after a 412, over ${attempts} attempts`,
      );
    },
  };
}
