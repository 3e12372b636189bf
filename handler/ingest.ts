import pLimit from 'p-limit';
import { objectKeyFor, type Reading } from '../model';
import { toStoredRecord } from './core/transform';
import type { PutOutcome, ReadingStore, StorageError } from './store/reading-store';
import { isStorageError } from './store/reading-store';

/** Parallel writes per request: enough to store 500 readings well within the function timeout. */
export const WRITE_CONCURRENCY = 16;

export interface IngestDependencies {
  store: ReadingStore;
  /** Store time, recorded as ingested_at. */
  clock: () => Date;
  concurrency?: number;
  /** Aborts outstanding writes (the entry passes one tied to the function's remaining time). */
  signal?: AbortSignal;
}

export interface ConflictEntry {
  index: number;
  id: string;
  key: string;
}

export type IngestOutcome =
  | {
      kind: 'done';
      /** Readings written by this request. */
      accepted: number;
      /** Readings that were already stored (by an earlier request or earlier in this batch). */
      duplicates: number;
      /** Where the request's readings live, each key once, in request order; conflicts excluded. */
      keys: string[];
      /** Readings refused because a different reading is stored under their id. */
      conflicts: ConflictEntry[];
    }
  | { kind: 'storage-failed'; error: StorageError };

interface WriteGroup {
  reading: Reading;
  key: string;
  indexes: number[];
}

/** One write per id; validation (model/) guarantees equal ids in a request mean equal readings. */
function groupById(readings: readonly Reading[]): WriteGroup[] {
  const groups = new Map<string, WriteGroup>();
  readings.forEach((reading, index) => {
    const group = groups.get(reading.id);
    if (group) group.indexes.push(index);
    else groups.set(reading.id, { reading, key: objectKeyFor(reading), indexes: [index] });
  });
  return [...groups.values()];
}

/**
 * Stores validated readings. The batch rule: each reading stands alone, because its key is
 * derived from it and writes are idempotent. Non-conflicting readings are stored even when others
 * conflict (the caller answers 409 listing the conflicts); on a storage failure the remaining
 * writes are not started and the caller answers 503: retrying the same request completes it
 * without duplicates.
 */
export async function ingestReadings(
  readings: readonly Reading[],
  deps: IngestDependencies,
): Promise<IngestOutcome> {
  const groups = groupById(readings);
  const limit = pLimit(deps.concurrency ?? WRITE_CONCURRENCY);
  let failure: unknown;
  const outcomes = await Promise.all(
    groups.map((group) =>
      limit(async (): Promise<PutOutcome | undefined> => {
        if (failure !== undefined) return undefined; // storage is failing: start no more writes
        try {
          const record = toStoredRecord(group.reading, deps.clock());
          return await deps.store.putIfAbsent(group.key, record, { signal: deps.signal });
        } catch (error) {
          failure ??= error;
          return undefined;
        }
      }),
    ),
  );
  if (failure !== undefined) {
    if (isStorageError(failure)) return { kind: 'storage-failed', error: failure };
    throw failure;
  }

  let accepted = 0;
  let duplicates = 0;
  const keys: string[] = [];
  const conflicts: ConflictEntry[] = [];
  groups.forEach((group, i) => {
    const outcome = outcomes[i];
    if (outcome === 'conflict') {
      for (const index of group.indexes)
        conflicts.push({ index, id: group.reading.id, key: group.key });
      return;
    }
    keys.push(group.key);
    // Repeats of one reading inside the request are duplicates of its first copy.
    const repeats = group.indexes.length - 1;
    if (outcome === 'stored') accepted += 1;
    else duplicates += 1;
    duplicates += repeats;
  });
  conflicts.sort((a, b) => a.index - b.index);
  return { kind: 'done', accepted, duplicates, keys, conflicts };
}
