import type { OpenLoopReport } from './schedule/open-loop';
import type { LatencySummary, ProducerStats } from './stats';

export type StopReason = 'completed' | 'duration' | 'signal';

/** The result of a run. Counted per reading: sent = acked + failed + aborted. */
export interface ProducerSummary {
  /** The events endpoint the readings went to. */
  apiUrl: string;
  sent: number;
  /** Stored by the server, duplicates included. */
  acked: number;
  /** Acked readings the server already had (a retry of a request whose answer was lost, or a re-run). */
  duplicates: number;
  failed: number;
  /** Failed readings by cause, e.g. {"409 conflict": 1, "400 temperature: …": 2, "network ECONNREFUSED": 5}. */
  failedByReason: Record<string, number>;
  /** Readings whose request was stopped by Ctrl+C / the abort signal before a final answer. */
  aborted: number;
  /** HTTP attempts, retries included. */
  requests: number;
  retries: number;
  /** Attempts by outcome: HTTP status, "timeout", "network" or "aborted". */
  statuses: Record<string, number>;
  durationMs: number;
  /** Acked readings per second over the whole run. */
  throughput: number;
  /** Per HTTP attempt, from an HDR histogram. */
  latencyMs: LatencySummary;
  stoppedBy: StopReason;
  /** Open loop (--rate) only: how well the schedule was kept. */
  rate?: OpenLoopReport;
  /** Where the report was written, when asked for. */
  reportFile?: string;
}

export function buildSummary(args: {
  apiUrl: string;
  stats: ProducerStats;
  durationMs: number;
  stoppedBy: StopReason;
  rate?: OpenLoopReport;
  reportFile?: string;
}): ProducerSummary {
  const { stats, durationMs } = args;
  return {
    apiUrl: args.apiUrl,
    sent: stats.sent,
    acked: stats.acked,
    duplicates: stats.duplicates,
    failed: stats.failed,
    failedByReason: { ...stats.failedByReason },
    aborted: stats.aborted,
    requests: stats.requests,
    retries: stats.retries,
    statuses: { ...stats.statuses },
    durationMs: Math.round(durationMs),
    throughput: durationMs > 0 ? Math.round((stats.acked / durationMs) * 100_000) / 100 : 0,
    latencyMs: stats.latency(),
    stoppedBy: args.stoppedBy,
    ...(args.rate ? { rate: args.rate } : {}),
    ...(args.reportFile ? { reportFile: args.reportFile } : {}),
  };
}
