import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { isSameReading, type StoredRecord } from '../../model';
import type { PutOutcome, ReadingStore } from './reading-store';
import { StorageUnavailableError } from './reading-store';
import {
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

  /** The stored object's text, or undefined when it is gone again (deleted since the 412). */
  async function read(key: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: signal,
      });
      return out.Body ? await out.Body.transformToString('utf-8') : '';
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
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
      for (let round = 0; round < attempts; round++) {
        if (round > 0) await pause(retryDelayMs * 2 ** (round - 1), key, signal);
        const outcome = await put(key, body, signal);
        if (outcome === 'stored') return 'stored';
        // 'busy': another request is writing this key right now (a retry racing its original).
        // Repeating the conditional put is safe (it never overwrites): it answers 412 once that
        // write lands, or stores the reading if that write failed.
        if (outcome === 'busy') continue;
        const storedText = await read(key, signal);
        if (storedText !== undefined) return compare(storedText, record);
      }
      throw new StorageUnavailableError(
        `S3 kept ${key} busy with another write, or it vanished after a 412, over ${attempts} attempts`,
      );
    },
  };
}
