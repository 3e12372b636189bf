import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { toStoredRecord } from '../../handler/core/transform';
import { AthenaTable } from '../../infra/athena-table';
import { createReadingGenerator, objectKeyFor } from '../../model';
import { createQueryEngine, localTableNames } from '../../query';

jest.setTimeout(180_000); // loading the CDK and two engines, on a busy machine

// The Glue table (infra/) and the local view (query/) are both built from model/events-table.ts:
// same database and table names, same columns in the same order, same types, same partitions.

/** How each Hive type of the Glue table reads in DuckDB. */
const duckdbTypeOf: Record<string, string> = {
  string: 'VARCHAR',
  double: 'DOUBLE',
  bigint: 'BIGINT',
  timestamp: 'TIMESTAMP',
};

/** The Glue table as the stack declares it (the construct's own properties: no synth needed). */
function glueTable() {
  const stack = new Stack(new App(), 'PushPipeline');
  const athena = new AthenaTable(stack, 'Athena', {
    bucket: new s3.Bucket(stack, 'Events'),
    databaseName: 'push_pipeline',
  });
  const input = athena.table.tableInput as glue.CfnTable.TableInputProperty;
  const descriptor = input.storageDescriptor as glue.CfnTable.StorageDescriptorProperty;
  const columns = [
    ...(descriptor.columns as glue.CfnTable.ColumnProperty[]),
    ...(input.partitionKeys as glue.CfnTable.ColumnProperty[]),
  ].map((c) => ({ Name: c.name, Type: c.type ?? '' }));
  return { database: athena.table.databaseName, name: input.name, columns };
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'query-definition-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function describeView(): Promise<{ name: unknown; type: unknown }[]> {
  const engine = await createQueryEngine({ kind: 'embedded', dataDir, bucket: 'b' });
  try {
    const { rows } = await engine.query(
      `DESCRIBE ${localTableNames.database}.${localTableNames.table}`,
    );
    return rows.map((row) => ({ name: row.column_name, type: row.column_type }));
  } finally {
    await engine.close();
  }
}

test('the local view has the Glue table names, columns, types and partitions, empty or not', async () => {
  const glue = glueTable();
  expect(localTableNames).toEqual({ database: glue.database, table: glue.name });
  const expected = glue.columns.map((c) => ({ name: c.Name, type: duckdbTypeOf[c.Type] }));
  expect(expected.every((c) => c.type !== undefined)).toBe(true);

  await mkdir(path.join(dataDir, 's3', 'b'), { recursive: true });
  expect(await describeView()).toEqual(expected); // no readings yet

  const reading = createReadingGenerator({ seed: 3 })();
  const file = path.join(dataDir, 's3', 'b', objectKeyFor(reading));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(toStoredRecord(reading, new Date())));
  expect(await describeView()).toEqual(expected); // read from the Parquet cache
});
