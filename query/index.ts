/**
 * SQL over the landed readings, on every target, with the Athena table's names:
 *
 *   const engine = await createQueryEngine({ kind: 'embedded' });
 *   const { columns, rows } = await engine.query('SELECT temp_group, count(*) AS n FROM events GROUP BY 1');
 *   await engine.close();
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { embeddedDefaults } from '../emulator';
import { dataLayout } from '../emulator/paths';
import { glueDatabaseName } from '../infra/athena-names';
import { defaultStackName } from '../infra/stack-outputs';
import { eventsTable } from '../model';
import { createAthenaEngine } from './athena-engine';
import { createLocalEngine } from './local/duckdb-engine';
import type { ViewNames } from './local/view-sql';
import { emulatorFileSource } from './sources/emulator-files';
import { s3ObjectSource } from './sources/s3-objects';
import type { QueryEngine, QueryTarget } from './types';

export type { AthenaEngineOptions } from './athena-engine';
export { QueryError } from './errors';
export type { QueryEngine, QueryResult, QueryTarget, ResultColumn } from './types';

/** The names the local view answers to: those of the default stack's Glue table. */
export const localTableNames: ViewNames = {
  database: glueDatabaseName(defaultStackName),
  table: eventsTable.name,
};

const DEFAULT_DATA_DIR = '.pipeline';

/** The Parquet cache of a target, under the emulator's data directory (git-ignored). */
function cacheDirOf(dataDir: string, id: string): string {
  return path.join(dataLayout(dataDir).root, 'query-cache', id);
}

export async function createQueryEngine(target: QueryTarget): Promise<QueryEngine> {
  switch (target.kind) {
    case 'embedded': {
      const layout = dataLayout(target.dataDir ?? DEFAULT_DATA_DIR);
      const bucket = target.bucket ?? embeddedDefaults.bucket;
      return createLocalEngine({
        source: emulatorFileSource(layout.s3Dir, bucket),
        cacheDir: cacheDirOf(layout.root, `embedded-${bucket}`),
        names: localTableNames,
      });
    }
    case 's3': {
      const where = `${target.s3.endpoint ?? target.s3.region}/${target.bucket}`;
      const id = `s3-${createHash('sha256').update(where).digest('hex').slice(0, 16)}`;
      return createLocalEngine({
        source: s3ObjectSource(target.s3, target.bucket),
        cacheDir: target.cacheDir ?? cacheDirOf(DEFAULT_DATA_DIR, id),
        names: localTableNames,
      });
    }
    case 'athena':
      return createAthenaEngine(target);
  }
}
