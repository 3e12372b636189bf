/**
 * What the console needs from parts built elsewhere: the SQL engine (query feature) and the
 * emulator's fault control (fault injection). Both are optional: without one the console's panel
 * says it is not available and its data endpoint answers 501.
 */

/** A query engine over `push_pipeline.events` (DuckDB locally, the same names as Athena). */
export interface QueryRunner {
  query(sql: string): Promise<QueryResult>;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
}

/** A fault that is on (StartedPipeline.faults, GET /_emulator/faults). */
export interface ActiveFault {
  id: string;
  /** As given to add(), e.g. `s3.put:error=503:rate=0.2`. */
  spec: string;
  description: string;
  /** Times it has acted so far. */
  injected: number;
}

export interface FaultControl {
  list(): ActiveFault[];
  /** Throws with a message saying what is wrong when the spec is not valid. */
  add(spec: string): ActiveFault;
  remove(id: string): boolean;
  clear(): void;
}
