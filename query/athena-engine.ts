/**
 * SQL on AWS: Athena itself, through the stack's workgroup (its result location and cost cap
 * apply) with the stack's Glue database as the default one, so `events` and
 * `push_pipeline.events` both name the table.
 */
import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { QueryError } from './errors';
import type { QueryEngine, QueryResult, QueryTarget } from './types';

export interface AthenaEngineOptions {
  /** First wait between status checks; doubles up to maxPollMs. Default 200 ms. */
  readonly firstPollMs?: number;
  /** Default 2 s. */
  readonly maxPollMs?: number;
  /** Give up (and stop the query) after this long. Default 10 minutes. */
  readonly timeoutMs?: number;
}

const integer = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const fractional = new Set(['double', 'float', 'real']);

/** Athena gives every value as text; numbers and booleans are turned back into JSON values. */
function convertValue(text: string | undefined, type: string): unknown {
  if (text === undefined) return null;
  const base = type.toLowerCase();
  if (integer.has(base)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  if (fractional.has(base) || base === 'decimal') return Number(text);
  if (base === 'boolean') return text === 'true';
  return text;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function failure(execution: QueryExecution | undefined): QueryError | Error {
  const status = execution?.Status;
  const reason =
    status?.AthenaError?.ErrorMessage ?? status?.StateChangeReason ?? 'no reason given';
  // Category 2 is the user's: bad SQL, an unknown column or table, a permission the caller lacks.
  if (status?.AthenaError?.ErrorCategory === 2 || status?.State === 'CANCELLED') {
    return new QueryError(`Athena: ${reason}`);
  }
  return new Error(`Athena could not run the query (${status?.State ?? 'unknown'}): ${reason}`);
}

export function createAthenaEngine(
  target: Extract<QueryTarget, { kind: 'athena' }>,
  options: AthenaEngineOptions = {},
): QueryEngine {
  const client = new AthenaClient({
    region: target.region,
    ...(target.endpoint !== undefined && { endpoint: target.endpoint }),
    ...(target.credentials !== undefined && { credentials: { ...target.credentials } }),
  });
  const firstPollMs = options.firstPollMs ?? 200;
  const maxPollMs = options.maxPollMs ?? 2000;
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;

  const start = async (sql: string): Promise<string> => {
    try {
      const started = await client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: target.workgroup,
          QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: target.database },
        }),
      );
      if (!started.QueryExecutionId) throw new Error('Athena returned no query execution id');
      return started.QueryExecutionId;
    } catch (error) {
      // Athena refuses some SQL at once (a syntax error) and an unknown workgroup the same way.
      if (error instanceof Error && error.name === 'InvalidRequestException') {
        throw new QueryError(`Athena: ${error.message}`, { cause: error });
      }
      throw error;
    }
  };

  const wait = async (id: string): Promise<QueryExecution> => {
    const deadline = Date.now() + timeoutMs;
    let delay = firstPollMs;
    for (;;) {
      const { QueryExecution: execution } = await client.send(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      );
      const state = execution?.Status?.State;
      if (state === 'SUCCEEDED') return execution as QueryExecution;
      if (state === 'FAILED' || state === 'CANCELLED') throw failure(execution);
      if (Date.now() > deadline) {
        throw new Error(
          `Athena query ${id} still ${state} after ${timeoutMs / 1000} s; see it in the console (workgroup ${target.workgroup})`,
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 2, maxPollMs);
    }
  };

  const results = async (id: string, execution: QueryExecution): Promise<QueryResult> => {
    let columnInfo: ColumnInfo[] | undefined;
    const rows: Record<string, unknown>[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const page = await client.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }),
      );
      columnInfo ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      const info = columnInfo;
      let pageRows = page.ResultSet?.Rows ?? [];
      // A SELECT's first row holds the column names.
      if (first && execution.StatementType === 'DML') pageRows = pageRows.slice(1);
      first = false;
      for (const row of pageRows) {
        const out: Record<string, unknown> = {};
        info.forEach((column, i) => {
          out[column.Name ?? `_${i}`] = convertValue(
            row.Data?.[i]?.VarCharValue,
            column.Type ?? 'varchar',
          );
        });
        rows.push(out);
      }
      token = page.NextToken;
    } while (token);
    const columns = (columnInfo ?? []).map((c, i) => ({
      name: c.Name ?? `_${i}`,
      type: (c.Type ?? 'varchar').toLowerCase(),
    }));
    return { columns, rows };
  };

  return {
    description: `Athena workgroup ${target.workgroup} in ${target.region}, database ${target.database}`,
    async query(sql) {
      const id = await start(sql);
      const execution = await wait(id);
      return results(id, execution);
    },
    async close() {
      client.destroy();
    },
  };
}
