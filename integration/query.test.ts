/**
 * SQL over what landed, on every target: `push_pipeline.events` read by DuckDB through the bucket's
 * S3 API (embedded, localstack, endpoint), by Athena in the stack's workgroup on aws.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { athenaWorkgroupName, glueDatabaseName } from '../infra/athena-names';
import { defaultStackName } from '../infra/stack-outputs';
import { partitionOf, tempGroupOf } from '../model';
import { createQueryEngine, type QueryEngine, type QueryTarget } from '../query';
import { produceAndVerify } from './support/produce';
import { type StartedTarget, startTarget } from './targets';

let target: StartedTarget;
let cacheDir: string;
let engine: QueryEngine;

function queryTargetOf(started: StartedTarget): QueryTarget {
  if (started.name === 'aws') {
    const stackName = process.env.STACK_NAME?.trim() || defaultStackName;
    return {
      kind: 'athena',
      region: started.s3.region,
      workgroup: athenaWorkgroupName(stackName),
      database: glueDatabaseName(stackName),
    };
  }
  return { kind: 's3', s3: started.s3, bucket: started.bucket, cacheDir };
}

beforeAll(async () => {
  target = await startTarget();
  cacheDir = await mkdtemp(path.join(tmpdir(), 'push-pipeline-query-'));
  engine = await createQueryEngine(queryTargetOf(target));
});

afterAll(async () => {
  await engine?.close();
  await target?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

it('counts per temperature group of the readings just sent are what was sent', async () => {
  const { readings, verdict } = await produceAndVerify(target, { nEvents: 30, nWorkers: 3 });
  expect(verdict).toMatchObject({ verified: 30, ok: true });
  const sent = readings.filter((r) => r.outcome === 'acked').map((r) => r.reading);
  const expected: Record<string, number> = {};
  for (const r of sent)
    expected[tempGroupOf(r.temperature)] = (expected[tempGroupOf(r.temperature)] ?? 0) + 1;

  const ids = sent.map((r) => `'${r.id}'`).join(', ');
  const days = [...new Set(sent.map((r) => `'${partitionOf(r.epoch).dt}'`))].join(', ');
  // The dt filter keeps Athena to the partitions of this run.
  const { rows } = await engine.query(
    `SELECT temp_group, count(*) AS n FROM push_pipeline.events WHERE dt IN (${days}) AND id IN (${ids}) GROUP BY temp_group`,
  );
  expect(Object.fromEntries(rows.map((row) => [row.temp_group, row.n]))).toEqual(expected);
});
