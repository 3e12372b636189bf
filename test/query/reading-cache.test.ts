import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { toStoredRecord } from '../../handler/core/transform';
import { createReadingGenerator, objectKeyFor } from '../../model';
import { ReadingCache } from '../../query/local/reading-cache';
import type { ListedObject, ObjectSource } from '../../query/sources/object-source';

/** A source in memory that counts what is read from it. */
class CountingSource implements ObjectSource {
  readonly description = 'a test source';
  readonly objects = new Map<string, { tag: string; body: string }>();
  reads = 0;
  private readonly next = createReadingGenerator({ seed: 5 });

  add(n: number): void {
    for (let i = 0; i < n; i++) {
      const reading = this.next();
      this.objects.set(objectKeyFor(reading), {
        tag: 'v1',
        body: JSON.stringify(toStoredRecord(reading, new Date())),
      });
    }
  }
  async list(): Promise<ListedObject[]> {
    return [...this.objects].map(([key, o]) => ({ key, tag: o.tag }));
  }
  async read(keys: readonly string[]): Promise<(string | undefined)[]> {
    this.reads += keys.length;
    return keys.map((key) => this.objects.get(key)?.body);
  }
}

let dir: string;
let instance: DuckDBInstance;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'reading-cache-'));
  instance = await DuckDBInstance.create(':memory:');
});
afterEach(async () => {
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
});

async function rowsIn(files: string[]): Promise<number> {
  const db = await instance.connect();
  const list = files.map((f) => `'${f}'`).join(', ');
  const reader = await db.runAndReadAll(`SELECT count(*) AS n FROM read_parquet([${list}])`);
  db.closeSync();
  return Number(reader.getRowObjectsJson()[0]?.n);
}

test('reads each object once, then only what is new, changed or gone', async () => {
  const source = new CountingSource();
  source.add(300);
  const db = await instance.connect();
  const cache = new ReadingCache(dir, source, db);

  const first = await cache.refresh();
  expect({ reads: source.reads, added: first.added }).toEqual({ reads: 300, added: 300 });
  expect(await rowsIn(first.files)).toBe(300);

  // Nothing new: nothing read, by this cache or by another one on the same folder (a new process).
  await cache.refresh();
  await new ReadingCache(dir, source, db).refresh();
  expect(source.reads).toBe(300);

  source.add(5);
  const more = await cache.refresh();
  expect({ reads: source.reads, added: more.added }).toEqual({ reads: 305, added: 5 });
  expect(await rowsIn(more.files)).toBe(305);

  const [changedKey, changed] = [...source.objects][0] ?? [];
  if (!changedKey || !changed) throw new Error('no object');
  source.objects.set(changedKey, { ...changed, tag: 'v2' });
  const [goneKey] = [...source.objects.keys()].slice(-1);
  source.objects.delete(goneKey ?? '');
  const after = await cache.refresh();
  expect({ reads: source.reads, added: after.added, removed: after.removed }).toEqual({
    reads: 306,
    added: 1,
    removed: 2,
  });
  expect(await rowsIn(after.files)).toBe(304);
  db.closeSync();
});

test('many refreshes with new objects are merged into few segments', async () => {
  const source = new CountingSource();
  const db = await instance.connect();
  const cache = new ReadingCache(dir, source, db);
  let files: string[] = [];
  for (let i = 0; i < 12; i++) {
    source.add(3);
    files = (await cache.refresh()).files;
  }
  expect(files.length).toBeLessThanOrEqual(8);
  expect(await rowsIn(files)).toBe(36);
  expect(source.reads).toBe(36);
  db.closeSync();
});
