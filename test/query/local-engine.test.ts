/** @slow DuckDB over objects a producer run stored */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  createReadingGenerator,
  eventsTable,
  objectKeyFor,
  type Reading,
  type StoredRecord,
  StoredRecordSchema,
} from '../../model';
import { runProducer } from '../../producer';
import { createQueryEngine, type QueryEngine, QueryError, type QueryTarget } from '../../query';
import { startTestPipeline, type TestPipeline } from '../emulator/helpers';

// Starting a pipeline bundles and cold-starts a function: slow on a busy machine, not a hang.
jest.setTimeout(60_000);

let t: TestPipeline;
let s3: S3Client;
let cacheRoot: string;
const generate = createReadingGenerator({ seed: 7 });
const now = Math.floor(Date.now() / 1000);

/** Readings spread over three days of hours, so several dt/hour partitions hold some. */
function spreadReadings(n: number): Reading[] {
  return Array.from({ length: n }, (_, i) => ({
    ...generate(),
    epoch: now - ((i * 7_919) % (3 * 86_400)),
  }));
}

/** Every stored object, read back and checked with the contract's schema: the reference answer. */
async function storedRecords(): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: t.pipeline.bucket,
        Prefix: eventsTable.keyPrefix,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      const got = await s3.send(
        new GetObjectCommand({ Bucket: t.pipeline.bucket, Key: object.Key }),
      );
      records.push(
        StoredRecordSchema.parse(JSON.parse((await got.Body?.transformToString()) ?? 'null')),
      );
    }
    token = page.NextContinuationToken;
  } while (token);
  return records;
}

function countBy<T>(items: readonly T[], by: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[by(item)] = (counts[by(item)] ?? 0) + 1;
  return counts;
}

const rowsToCounts = (rows: Record<string, unknown>[], key: string) =>
  Object.fromEntries(rows.map((r) => [String(r[key]), r.n]));

beforeAll(async () => {
  t = await startTestPipeline();
  s3 = new S3Client(t.pipeline.s3);
  cacheRoot = await mkdtemp(path.join(os.tmpdir(), 'query-cache-'));
  const summary = await runProducer({
    apiUrl: t.pipeline.apiUrl,
    apiKey: t.pipeline.apiKey,
    readings: spreadReadings(120),
    batchSize: 10,
    nWorkers: 4,
    maxDelay: 0,
  });
  expect(summary.acked).toBe(120);
});

afterAll(async () => {
  s3?.destroy();
  await t?.dispose();
  await rm(cacheRoot, { recursive: true, force: true });
});

const targets: [string, () => QueryTarget][] = [
  ['embedded (the emulator files)', () => ({ kind: 'embedded', dataDir: t.pipeline.dataDir })],
  [
    's3 (the bucket through the S3 API)',
    () => ({
      kind: 's3',
      s3: t.pipeline.s3,
      bucket: t.pipeline.bucket,
      cacheDir: path.join(cacheRoot, 's3'),
    }),
  ],
];

describe.each(targets)('on %s', (_name, target) => {
  let engine: QueryEngine;
  beforeAll(async () => {
    engine = await createQueryEngine(target());
  });
  afterAll(() => engine?.close());

  it('answers counts per group and per sensor, and the epoch range, as the stored objects do', async () => {
    const records = await storedRecords();
    expect(records.length).toBeGreaterThanOrEqual(120);

    const groups = await engine.query(
      'SELECT temp_group, count(*) AS n FROM push_pipeline.events GROUP BY temp_group',
    );
    expect(rowsToCounts(groups.rows, 'temp_group')).toEqual(countBy(records, (r) => r.temp_group));

    const sensors = await engine.query(
      'SELECT sensor_id, count(*) AS n FROM events GROUP BY sensor_id ORDER BY sensor_id',
    );
    expect(rowsToCounts(sensors.rows, 'sensor_id')).toEqual(countBy(records, (r) => r.sensor_id));

    const partitions = await engine.query(
      "SELECT dt || '/' || hour AS p, count(*) AS n FROM events GROUP BY 1",
    );
    expect(rowsToCounts(partitions.rows, 'p')).toEqual(
      countBy(records, (r) => {
        const [, dt, hour] = /dt=([^/]+)\/hour=([^/]+)\//.exec(objectKeyFor(r)) ?? [];
        return `${dt}/${hour}`;
      }),
    );

    const range = await engine.query(
      'SELECT min(epoch) AS lo, max(epoch) AS hi, count(DISTINCT id) AS ids, max(event_dt) AS last FROM events',
    );
    const epochs = records.map((r) => r.epoch);
    const latest = records.reduce((a, b) => (a.epoch > b.epoch ? a : b));
    expect(range.rows).toEqual([
      {
        lo: Math.min(...epochs),
        hi: Math.max(...epochs),
        ids: records.length,
        last: latest.event_dt,
      },
    ]);
    expect(range.columns).toEqual([
      { name: 'lo', type: 'bigint' },
      { name: 'hi', type: 'bigint' },
      { name: 'ids', type: 'bigint' },
      { name: 'last', type: 'timestamp' },
    ]);
  });

  it('sees a reading that landed after the previous query, and drops one that was deleted', async () => {
    const before = (await engine.query('SELECT count(*) AS n FROM events')).rows[0]?.n as number;
    const [late] = spreadReadings(1);
    if (!late) throw new Error('no reading generated');
    const summary = await runProducer({
      apiUrl: t.pipeline.apiUrl,
      apiKey: t.pipeline.apiKey,
      readings: [late],
      maxDelay: 0,
    });
    expect(summary.acked).toBe(1);
    const found = await engine.query(`SELECT id, temperature FROM events WHERE id = '${late.id}'`);
    expect(found.rows).toEqual([{ id: late.id, temperature: late.temperature }]);
    expect((await engine.query('SELECT count(*) AS n FROM events')).rows[0]?.n).toBe(before + 1);

    await s3.send(new DeleteObjectCommand({ Bucket: t.pipeline.bucket, Key: objectKeyFor(late) }));
    expect((await engine.query('SELECT count(*) AS n FROM events')).rows[0]?.n).toBe(before);
  });

  it('a second engine on the same cache answers the same without reading objects again', async () => {
    const first = await engine.query('SELECT count(*) AS n, sum(temperature) AS s FROM events');
    const again = await createQueryEngine(target());
    try {
      expect(
        (await again.query('SELECT count(*) AS n, sum(temperature) AS s FROM events')).rows,
      ).toEqual(first.rows);
    } finally {
      await again.close();
    }
  });
});

describe('errors', () => {
  let engine: QueryEngine;
  beforeAll(async () => {
    engine = await createQueryEngine({ kind: 'embedded', dataDir: t.pipeline.dataDir });
  });
  afterAll(() => engine?.close());

  it.each([
    ['an unknown column', 'SELECT nope FROM events', /nope/],
    ['an unknown table', 'SELECT * FROM push_pipeline.other', /other/],
    ['a syntax error', 'SELEC 1', /syntax error/i],
    ['two statements', 'SELECT 1; SELECT 2', /one SQL statement per query/],
    ['a file outside the cache', "SELECT * FROM read_csv('/etc/hostname')", /disabled|Permission/i],
  ])('%s is a QueryError that says what is wrong', async (_name, sql, message) => {
    const failure = engine.query(sql);
    await expect(failure).rejects.toBeInstanceOf(QueryError);
    await expect(failure).rejects.toThrow(message);
    // The engine still answers afterwards.
    expect((await engine.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('an object that is not JSON fails the query (as on Athena) and is named', async () => {
    const key = objectKeyFor({ id: 'not-json', epoch: now });
    await s3.send(new PutObjectCommand({ Bucket: t.pipeline.bucket, Key: key, Body: '{"id": ' }));
    try {
      await expect(engine.query('SELECT count(*) FROM events')).rejects.toThrow(key);
    } finally {
      await s3.send(new DeleteObjectCommand({ Bucket: t.pipeline.bucket, Key: key }));
    }
    expect((await engine.query('SELECT count(*) AS n FROM events')).rows[0]?.n).toBeGreaterThan(0);
  });

  it('a data directory without the bucket is a QueryError saying what to run', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'query-empty-'));
    const none = await createQueryEngine({ kind: 'embedded', dataDir: empty });
    try {
      await expect(none.query('SELECT 1')).rejects.toThrow(
        expect.objectContaining({
          name: 'QueryError',
          message: expect.stringMatching(/npm start/),
        }),
      );
    } finally {
      await none.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
