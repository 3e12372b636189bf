/**
 * B5: SQL over 100,000 stored readings on the embedded target. The first query (nothing cached:
 * every object read and cached as Parquet) and repeated queries (a new engine each time, as each
 * `npm run query` is; and the same engine again, as the console keeps one) against DuckDB reading
 * the same files directly, in the same run. Then 1,000 more readings land and the next query must
 * count them. Objects are written through the emulator S3 store's own code path (temp file,
 * publish, metadata), as its PutObject does, without HTTP: 100,000 S3 PUTs would take minutes here.
 */

import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pLimit from 'p-limit';
import { embeddedDefaults } from '../emulator';
import { DataLayout } from '../emulator/s3/data-layout';
import { keySegments } from '../emulator/s3/keys';
import { ObjectStore } from '../emulator/s3/object-store';
import { createReadingGenerator, objectKeyFor, type Reading } from '../model';
import { createQueryEngine, type QueryEngine } from '../query';
import { emulatorObjectsGlob } from '../query/sources/emulator-files';
import { storedRecordBody } from './payload';
import { atLeast, type BenchContext, type BenchResult, below, type Metric } from './result';
import { round } from './stats';

const SQL = 'SELECT temp_group, count(*) AS n, avg(temperature) AS avg_c FROM events GROUP BY 1';
const DIRECT_COLUMNS =
  "{id: 'VARCHAR', sensor_id: 'VARCHAR', temperature: 'DOUBLE', epoch: 'BIGINT', temp_group: 'VARCHAR', event_dt: 'TIMESTAMP'}";

/** Readings spread over the last 30 days: 720 hour partitions, as a month of data has. */
function readingsOver30Days(n: number, seed: number): Reading[] {
  const next = createReadingGenerator({ seed });
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: n }, (_, i) => ({
    ...next(),
    epoch: now - ((i * 7_919) % (30 * 86_400)),
  }));
}

/** Stores each reading's record at its key as the emulator's PutObject would. */
async function storeAll(
  s3Dir: string,
  bucket: string,
  readings: readonly Reading[],
): Promise<void> {
  const layout = new DataLayout(s3Dir);
  await mkdir(layout.bucketDir(bucket), { recursive: true });
  const store = new ObjectStore(layout);
  const limit = pLimit(16);
  await Promise.all(
    readings.map((reading) =>
      limit(async () => {
        const key = objectKeyFor(reading);
        const body = Buffer.from(storedRecordBody(reading));
        const temp = await store.writeTempData(body);
        await store.publish(
          { bucket, key, segments: keySegments(key) },
          temp,
          {
            etag: `"${createHash('md5').update(body).digest('hex')}"`,
            contentType: 'application/json',
            headers: {},
            userMetadata: {},
          },
          false,
        );
      }),
    ),
  );
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await run();
  return { ms: performance.now() - t0, value };
}

const countOf = (rows: Record<string, unknown>[]) =>
  rows.reduce((sum, row) => sum + Number(row.n), 0);

export async function b5Query(ctx: BenchContext): Promise<BenchResult> {
  const t0 = performance.now();
  const n = ctx.quick ? 20_000 : 100_000;
  const late = ctx.quick ? 200 : 1_000;
  const rounds = ctx.quick ? 3 : 5;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-b5-'));
  const s3Dir = path.join(dataDir, 's3');
  const bucket = embeddedDefaults.bucket;
  const engines: QueryEngine[] = [];
  try {
    ctx.log(`b5: storing ${n.toLocaleString('en-US')} readings...`);
    const fill = await timed(() => storeAll(s3Dir, bucket, readingsOver30Days(n, 1)));
    ctx.log(`b5: written in ${round(fill.ms / 1000, 1)} s; direct DuckDB read...`);

    const direct = await timed(async () => {
      const instance = await DuckDBInstance.create(':memory:');
      const db = await instance.connect();
      const reader = await db.runAndReadAll(
        `SELECT temp_group, count(*) AS n, avg(temperature) AS avg_c FROM read_json('${emulatorObjectsGlob(s3Dir, bucket)}', format = 'newline_delimited', columns = ${DIRECT_COLUMNS}, timestampformat = '%Y-%m-%d %H:%M:%S', hive_partitioning = true) GROUP BY 1`,
      );
      const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
      db.closeSync();
      instance.closeSync();
      return rows;
    });
    if (countOf(direct.value) !== n)
      throw new Error(`direct read counted ${countOf(direct.value)}, not ${n}`);

    ctx.log('b5: first query (empty cache)...');
    const target = { kind: 'embedded' as const, dataDir };
    const first = await timed(async () => {
      const engine = await createQueryEngine(target);
      engines.push(engine);
      return (await engine.query(SQL)).rows;
    });
    if (countOf(first.value) !== n)
      throw new Error(`first query counted ${countOf(first.value)}, not ${n}`);

    const kept = engines[0];
    if (!kept) throw new Error('the first query kept no engine');
    const fresh: number[] = [];
    const same: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const again = await timed(async () => {
        const engine = await createQueryEngine(target);
        try {
          return (await engine.query(SQL)).rows;
        } finally {
          await engine.close();
        }
      });
      if (countOf(again.value) !== n) throw new Error('a repeated query counted differently');
      fresh.push(again.ms);
      same.push((await timed(() => kept.query(SQL))).ms);
    }

    ctx.log(`b5: ${late} more readings land...`);
    await storeAll(s3Dir, bucket, readingsOver30Days(late, 2));
    const afterLate = await timed(() => kept.query(SQL));
    const seen = countOf(afterLate.value.rows);
    if (seen !== n + late)
      throw new Error(`after ${late} more, the query counted ${seen}, not ${n + late}`);

    const median = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const repeatedMs = median(fresh);
    const sameMs = median(same);
    const rate = (ms: number, readings = n) => Math.round(readings / (ms / 1000));
    const firstRatio = direct.ms / first.ms;
    const metrics: Metric[] = [
      {
        name: 'direct DuckDB read of the files (baseline)',
        value: rate(direct.ms),
        unit: 'readings/s',
        note: `${round(direct.ms / 1000, 2)} s for ${n.toLocaleString('en-US')} objects`,
      },
      {
        name: 'first query (nothing cached), vs the direct read',
        value: round(firstRatio, 2),
        unit: 'x',
        target: '>= 0.8',
        ok: atLeast(firstRatio, 0.8),
        note: `${rate(first.ms).toLocaleString('en-US')} readings/s, ${round(first.ms / 1000, 2)} s: reads every object, writes the Parquet cache, answers`,
      },
      {
        name: 'repeated query, new engine (as npm run query)',
        value: round(repeatedMs / 1000, 3),
        unit: 's',
        target: '< 1',
        ok: below(repeatedMs / 1000, 1),
        note: `median of ${rounds}; ${rate(repeatedMs).toLocaleString('en-US')} readings/s; ${round(direct.ms / repeatedMs, 1)}x faster than the direct read`,
      },
      {
        name: 'repeated query, same engine (as the console)',
        value: round(sameMs / 1000, 3),
        unit: 's',
        target: '< 1',
        ok: below(sameMs / 1000, 1),
        note: `median of ${rounds}; ${round(direct.ms / sameMs, 1)}x faster than the direct read`,
      },
      {
        name: `query after ${late.toLocaleString('en-US')} more readings landed`,
        value: round(afterLate.ms / 1000, 3),
        unit: 's',
        note: `counts all ${(n + late).toLocaleString('en-US')}: only the new objects are read`,
      },
    ];
    return {
      id: 'b5',
      title: `SQL over ${n.toLocaleString('en-US')} stored readings (embedded target)`,
      metrics,
      notes: [
        `Query: ${SQL}. Objects spread over 720 hour partitions (30 days), stored through the emulator S3 store's code path in ${round(fill.ms / 1000, 1)} s.`,
        'Baseline: a fresh DuckDB reading the same files with read_json (glob, hive partitioning) in the same run. The query engine reads them once into its Parquet cache (.pipeline/query-cache), keyed by object key; later queries list the keys and read only new ones.',
        `Load average at the end: ${round(os.loadavg()[0] ?? 0, 2)} on ${os.cpus().length} cores (a shared machine: compare ratios, not absolute times).`,
      ],
      details: {
        n,
        late,
        fillMs: fill.ms,
        directMs: direct.ms,
        firstMs: first.ms,
        repeatedNewEngineMs: fresh,
        repeatedSameEngineMs: same,
        afterLateMs: afterLate.ms,
      },
      elapsedMs: performance.now() - t0,
    };
  } finally {
    await Promise.all(engines.map((e) => e.close()));
    await rm(dataDir, { recursive: true, force: true });
  }
}
