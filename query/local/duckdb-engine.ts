/**
 * SQL over the readings on this machine: DuckDB, with `<database>.<table>` (the Glue table's names,
 * columns, types and partitions) a view over the incremental Parquet cache of the source's objects.
 */
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBType } from '@duckdb/node-api';
import { QueryError } from '../errors';
import type { ObjectSource } from '../sources/object-source';
import type { QueryEngine, QueryResult } from '../types';
import { ReadingCache } from './reading-cache';
import { createViewSql, quoteIdent, quoteLiteral, type ViewNames } from './view-sql';

export interface LocalEngineOptions {
  readonly source: ObjectSource & { close?(): void };
  /** Where the Parquet cache lives (created if missing). */
  readonly cacheDir: string;
  readonly names: ViewNames;
}

const integerTypes = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
]);

/** JSON-safe values: integers as numbers while exact (else decimal strings), times as text. */
function convertValue(value: unknown, type: string): unknown {
  if (typeof value !== 'string') return value;
  if (integerTypes.has(type)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (type.startsWith('DECIMAL')) return Number(value);
  return value;
}

export async function createLocalEngine(options: LocalEngineOptions): Promise<QueryEngine> {
  const cacheDir = path.resolve(options.cacheDir);
  const instance = await DuckDBInstance.create(':memory:');
  const db: DuckDBConnection = await instance.connect();
  const { database, table } = options.names;
  // Queries may touch only the cache: an SQL box in a browser must not read the user's files.
  await db.run(
    `SET allowed_directories = [${quoteLiteral(`${cacheDir}${path.sep}`)}]; ` +
      'SET enable_external_access = false; SET lock_configuration = true;',
  );
  await db.run(`CREATE SCHEMA ${quoteIdent(database)}; USE memory.${quoteIdent(database)};`);
  const cache = new ReadingCache(cacheDir, options.source, db);
  let viewOf = '';
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const run = async (sql: string): Promise<QueryResult> => {
    if (closed) throw new Error('the query engine is closed');
    const { files } = await cache.refresh();
    const key = files.join('\n');
    if (key !== viewOf || viewOf === '') {
      await db.run(createViewSql(options.names, files));
      viewOf = key;
    }
    let reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>>;
    try {
      const statements = await db.extractStatements(sql);
      if (statements.count !== 1) {
        throw new QueryError(
          `one SQL statement per query, as Athena runs them; got ${statements.count}`,
        );
      }
      reader = await db.runAndReadAll(sql);
    } catch (error) {
      if (error instanceof QueryError) throw error;
      // DuckDB's errors may come from another realm (jest): read the message, not the class.
      const message = (error as { message?: unknown })?.message;
      throw new QueryError(typeof message === 'string' ? message.trim() : String(error), {
        cause: error,
      });
    }
    const types = reader.columnTypes().map((t: DuckDBType) => t.toString());
    const columns = reader.columnNames().map((name, i) => ({
      name,
      type: (types[i] ?? 'unknown').toLowerCase(),
    }));
    const rows = reader.getRowObjectsJson().map((row) => {
      const out: Record<string, unknown> = {};
      columns.forEach((column, i) => {
        out[column.name] = convertValue(row[column.name], types[i] ?? '');
      });
      return out;
    });
    return { columns, rows };
  };

  return {
    description: `DuckDB over ${options.source.description} as ${database}.${table}`,
    query(sql) {
      // One at a time: a refresh writes the cache the next query reads.
      const result = queue.then(() => run(sql));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      db.closeSync();
      instance.closeSync();
      options.source.close?.();
    },
  };
}
