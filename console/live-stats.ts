import * as hdr from 'hdr-histogram-js';
import { STATUS_CLASSES, type StatusClass, statusClassOf } from './exchange-summary';

/** One second of traffic: requests by status class, confirmed readings, latency percentiles. */
export interface SecondStats {
  /** Epoch seconds. */
  t: number;
  requests: Record<StatusClass, number>;
  readings: number;
  /** Latency percentiles of this second's requests (ms); null without requests. */
  p50: number | null;
  p99: number | null;
}

export interface LatencyWindow {
  /** Over the last `seconds` seconds (ms); null without requests. */
  p50: number | null;
  p99: number | null;
  count: number;
  seconds: number;
}

export interface Totals {
  requests: number;
  readings: number;
  byStatus: Record<StatusClass, number>;
}

const WINDOW_SECONDS = 60;

function newHistogram(): hdr.Histogram {
  // Microseconds up to 2 minutes (past the gateway's 29 s timeout), 2 significant digits (1 %).
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 2,
    useWebAssembly: false,
  });
}

function zeroCounts(): Record<StatusClass, number> {
  return Object.fromEntries(STATUS_CLASSES.map((c) => [c, 0])) as Record<StatusClass, number>;
}

function ms(micros: number): number {
  return Math.round(micros / 100) / 10;
}

/**
 * Per-second traffic of the last `historySeconds`, for the console's charts, and latency
 * percentiles over the last minute. Recording is a few counter increments and one histogram
 * record: it runs for every request at full speed.
 */
export class LiveStats {
  private readonly history: SecondStats[] = [];
  private current: SecondStats;
  /** Per-second histograms of the last minute, as a ring indexed by epoch second. */
  private readonly histograms: hdr.Histogram[] = [];
  private readonly histogramSecond: number[] = [];
  private readonly scratch = newHistogram();
  private readonly totals: Totals = { requests: 0, readings: 0, byStatus: zeroCounts() };

  constructor(
    private readonly historySeconds = 300,
    private readonly now: () => number = Date.now,
  ) {
    this.current = this.emptySecond(Math.floor(now() / 1000));
    for (let i = 0; i < WINDOW_SECONDS; i += 1) {
      this.histograms.push(newHistogram());
      this.histogramSecond.push(-1);
    }
  }

  record(status: number, latencyMs: number, readings: number): void {
    const second = this.advance();
    const statusClass = statusClassOf(status);
    second.requests[statusClass] += 1;
    second.readings += readings;
    this.totals.requests += 1;
    this.totals.readings += readings;
    this.totals.byStatus[statusClass] += 1;
    this.histogramFor(second.t).recordValue(Math.max(1, Math.round(latencyMs * 1000)));
  }

  /** The completed seconds of the history, oldest first (the current second is still open). */
  completedSeconds(): SecondStats[] {
    this.advance();
    return [...this.history];
  }

  /** Completed seconds after `t` (epoch seconds), oldest first. */
  secondsAfter(t: number): SecondStats[] {
    this.advance();
    const from = this.history.findIndex((s) => s.t > t);
    return from < 0 ? [] : this.history.slice(from);
  }

  latency(): LatencyWindow {
    const nowSecond = this.advance().t;
    this.scratch.reset();
    for (let i = 0; i < WINDOW_SECONDS; i += 1) {
      const t = this.histogramSecond[i] ?? -1;
      const histogram = this.histograms[i];
      if (histogram !== undefined && t > nowSecond - WINDOW_SECONDS && t <= nowSecond) {
        this.scratch.add(histogram);
      }
    }
    const count = this.scratch.totalCount;
    return {
      p50: count > 0 ? ms(this.scratch.getValueAtPercentile(50)) : null,
      p99: count > 0 ? ms(this.scratch.getValueAtPercentile(99)) : null,
      count,
      seconds: WINDOW_SECONDS,
    };
  }

  totalsSoFar(): Totals {
    return { ...this.totals, byStatus: { ...this.totals.byStatus } };
  }

  /** Closes the seconds that have passed (empty ones too) and returns the open one. */
  private advance(): SecondStats {
    const nowSecond = Math.floor(this.now() / 1000);
    if (nowSecond <= this.current.t) return this.current;
    this.close(this.current);
    // A quiet spell longer than the history needs no empty seconds beyond the history's length.
    const firstEmpty = Math.max(this.current.t + 1, nowSecond - this.historySeconds);
    for (let t = firstEmpty; t < nowSecond; t += 1) this.close(this.emptySecond(t));
    this.current = this.emptySecond(nowSecond);
    return this.current;
  }

  private close(second: SecondStats): void {
    const histogram = this.ownHistogram(second.t);
    if (histogram !== undefined && histogram.totalCount > 0) {
      second.p50 = ms(histogram.getValueAtPercentile(50));
      second.p99 = ms(histogram.getValueAtPercentile(99));
    }
    this.history.push(second);
    if (this.history.length > this.historySeconds) this.history.shift();
  }

  private histogramFor(t: number): hdr.Histogram {
    const slot = t % WINDOW_SECONDS;
    const histogram = this.histograms[slot] ?? newHistogram();
    if (this.histogramSecond[slot] !== t) {
      histogram.reset();
      this.histogramSecond[slot] = t;
    }
    return histogram;
  }

  private ownHistogram(t: number): hdr.Histogram | undefined {
    const slot = t % WINDOW_SECONDS;
    return this.histogramSecond[slot] === t ? this.histograms[slot] : undefined;
  }

  private emptySecond(t: number): SecondStats {
    return { t, requests: zeroCounts(), readings: 0, p50: null, p99: null };
  }
}
