import type { S3Settings } from '../deployment/target';

/** A column of a result: its name and its SQL type as the engine names it, lower case. */
export interface ResultColumn {
  readonly name: string;
  /** e.g. varchar, bigint, double, timestamp. */
  readonly type: string;
}

export interface QueryResult {
  readonly columns: ResultColumn[];
  /** One object per row, keyed by column name; integers and doubles are numbers, times text. */
  readonly rows: Record<string, unknown>[];
}

/**
 * SQL over `push_pipeline.events` (also just `events`) on one target. A query that cannot run
 * (bad SQL, unknown column, nothing to query) rejects with a QueryError whose message says why.
 */
export interface QueryEngine {
  /** What it queries, for a status line: "DuckDB over ... as push_pipeline.events". */
  readonly description: string;
  query(sql: string): Promise<QueryResult>;
  close(): Promise<void>;
}

/** Where the readings are. */
export type QueryTarget =
  | {
      /** The embedded emulator's objects on disk (it need not be running). */
      readonly kind: 'embedded';
      /** Default `.pipeline`. */
      readonly dataDir?: string;
      /** Default the emulator's bucket. */
      readonly bucket?: string;
    }
  | {
      /** Any S3 API: LocalStack, `docker compose up`, the emulator's own endpoint. */
      readonly kind: 's3';
      readonly s3: S3Settings;
      readonly bucket: string;
      /** Where the Parquet cache lives. Default `.pipeline/query-cache/<endpoint and bucket>`. */
      readonly cacheDir?: string;
    }
  | {
      /** Athena in an AWS account: the stack's workgroup and Glue database. */
      readonly kind: 'athena';
      readonly region: string;
      readonly workgroup: string;
      readonly database: string;
      /** An Athena-compatible endpoint (tests); unset: AWS's own, with the default credentials. */
      readonly endpoint?: string;
      readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
    };
