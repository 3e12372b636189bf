import { createHistogram } from 'node:perf_hooks';
import type { Reading } from '../model';
import type { BatchVerdict, ReadingOutcome } from './response-outcome';

/** What onProgress receives, a few times a second and once more at the end (done: true). */
export interface ProgressSnapshot {
  sent: number;
  acked: number;
  duplicates: number;
  failed: number;
  aborted: number;
  requests: number;
  retries: number;
  /** Requests on the wire or waiting to retry. */
  inFlight: number;
  elapsedMs: number;
  /** Readings the run will send, when known (not for --duration without --n-events). */
  total?: number;
  /** Acknowledged readings per second since the start. */
  throughput: number;
  /** Producing has stopped (Ctrl+C or --duration); in-flight requests are finishing. */
  stopping: boolean;
  done: boolean;
}

export interface ReadingRecord {
  reading: Reading;
  outcome: ReadingOutcome | 'pending';
  reason?: string;
  /** HTTP attempts made for the request that carried this reading. */
  attempts: number;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** A failure label per distinct server message could grow without bound; past this, "other". */
const MAX_REASONS = 50;

/** Counters of one run. Counted per reading: sent = acked + failed + aborted + (still pending). */
export class ProducerStats {
  sent = 0;
  acked = 0;
  duplicates = 0;
  failed = 0;
  aborted = 0;
  requests = 0;
  retries = 0;
  inFlight = 0;
  readonly failedByReason: Record<string, number> = {};
  readonly statuses: Record<string, number> = {};
  /** Per-reading records, kept only when a report is wanted (a long run would hold millions). */
  readonly records: ReadingRecord[] | undefined;
  // Microseconds: integer buckets with sub-millisecond resolution, 3 significant digits. Node's
  // own HDR histogram: hdr-histogram-js (with its WebAssembly build and pako) cost about 10 MB of
  // RSS just to load, a fifth of the producer's footprint before it sends anything.
  private readonly histogram = createHistogram({ lowest: 1, figures: 3 });
  /** Exact: the histogram's own max is the top of the highest bucket. */
  private maxLatencyUs = 0;

  constructor(keepRecords: boolean) {
    this.records = keepRecords ? [] : undefined;
  }

  /** A request's readings leave; returns where their records start (for settle). */
  startBatch(batch: readonly Reading[]): number {
    this.sent += batch.length;
    this.inFlight += 1;
    const start = this.records?.length ?? 0;
    for (const reading of batch) this.records?.push({ reading, outcome: 'pending', attempts: 0 });
    return start;
  }

  /** One HTTP attempt; latency is undefined for a request cut before it was answered. */
  recordAttempt(latencyMs: number | undefined, status: string, isRetry: boolean): void {
    this.requests += 1;
    if (isRetry) this.retries += 1;
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (latencyMs !== undefined) {
      const us = Math.max(1, Math.round(latencyMs * 1000));
      this.histogram.record(us);
      if (us > this.maxLatencyUs) this.maxLatencyUs = us;
    }
  }

  settle(start: number, verdict: BatchVerdict, attempts: number): void {
    this.inFlight -= 1;
    this.duplicates += verdict.duplicates;
    verdict.outcomes.forEach(({ outcome, reason }, i) => {
      if (outcome === 'acked' || outcome === 'duplicate') this.acked += 1;
      else if (outcome === 'aborted') this.aborted += 1;
      else {
        this.failed += 1;
        const known = Object.keys(this.failedByReason);
        const key = reason ?? 'unknown';
        const label = key in this.failedByReason || known.length < MAX_REASONS ? key : 'other';
        this.failedByReason[label] = (this.failedByReason[label] ?? 0) + 1;
      }
      const record = this.records?.[start + i];
      if (record) Object.assign(record, { outcome, attempts }, reason ? { reason } : {});
    });
  }

  latency(): LatencySummary {
    const ms = (us: number) => Math.round(us) / 1000;
    if (this.histogram.count === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
    // A percentile is reported as the top of its bucket, which can exceed the exact max.
    const max = this.maxLatencyUs;
    const at = (p: number) => ms(Math.min(this.histogram.percentile(p), max));
    return {
      p50: at(50),
      p90: at(90),
      p99: at(99),
      max: ms(max),
      mean: Math.round(this.histogram.mean) / 1000,
    };
  }
}
