/**
 * What the console needs from the parts below it: the SQL engine (query/) and the emulator's fault
 * control. Both are optional: without one the console's panel says it is not available and its
 * data endpoint answers 501.
 */
import type { QueryResult } from '../query';

export type { ActiveFault, FaultControl } from '../emulator';
export type { QueryResult } from '../query';

/** What the SQL panel runs: a query engine over `push_pipeline.events` (query/'s QueryEngine). */
export interface QueryRunner {
  query(sql: string): Promise<QueryResult>;
}
