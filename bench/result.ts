/** What every benchmark returns: metrics for the table, notes for RESULTS.md, raw details for JSON. */

export type BenchId = 'b1' | 'b2' | 'b3' | 'b4' | 'b5' | 'b6' | 'b7';

export interface Metric {
  name: string;
  /** null: not measured in this run (the note says why). */
  value: number | string | null;
  unit?: string;
  /** Human-readable target, e.g. ">= 0.9". */
  target?: string;
  /** Target met? undefined when the metric has no target or was not measured. */
  ok?: boolean;
  note?: string;
}

export interface BenchResult {
  id: BenchId;
  title: string;
  metrics: Metric[];
  notes: string[];
  details: Record<string, unknown>;
  elapsedMs: number;
}

export interface BenchContext {
  quick: boolean;
  /** Progress lines (stderr). */
  log: (message: string) => void;
  /** Results of benchmarks already run in this invocation (B4 reads B2's handler durations). */
  earlier: ReadonlyMap<BenchId, BenchResult>;
  /** B3 measures only the producer's RSS (`--producer-rss`). */
  producerRssOnly?: boolean;
}

export function atLeast(value: number, min: number): boolean {
  return Number.isFinite(value) && value >= min;
}

export function below(value: number, max: number): boolean {
  return Number.isFinite(value) && value < max;
}
