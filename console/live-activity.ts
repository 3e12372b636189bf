import type { ActivityListener, FunctionLogLine, GatewayExchange } from '../emulator/activity';
import { redactApiKey } from '../producer/mask';
import { type RequestSummary, summarizeExchange } from './exchange-summary';
import { type LatencyWindow, LiveStats, type SecondStats, type Totals } from './live-stats';

/** What a page gets once when it connects. */
export interface ActivitySnapshot {
  seconds: SecondStats[];
  latency: LatencyWindow;
  totals: Totals;
  /** Newest last. */
  requests: RequestSummary[];
  logs: FunctionLogLine[];
}

/** What changed since the previous tick (sent once a second). */
export interface ActivityTick {
  /** Seconds completed since the previous tick. */
  seconds: SecondStats[];
  latency: LatencyWindow;
  totals: Totals;
  /** Every request that was not a 200 (up to a cap), and the newest 200s. Newest last. */
  requests: RequestSummary[];
  /** Requests of this tick not sent (200s past the few newest, errors past the cap). */
  requestsSkipped: number;
  logs: FunctionLogLine[];
  logsSkipped: number;
}

const RECENT_REQUESTS = 200;
const RECENT_LOG_LINES = 500;
const TICK_OK_REQUESTS = 10;
const TICK_OTHER_REQUESTS = 100;
const TICK_LOG_LINES = 50;
const RECENT_ANSWERS = 100;

/** Keeps the newest `capacity` items, and counts the ones it let go. */
class Newest<T> {
  private items: T[] = [];
  dropped = 0;
  constructor(private readonly capacity: number) {}
  push(item: T): void {
    this.items.push(item);
    // Trimmed in halves, not one by one: a shift per push at full speed costs O(n) each.
    if (this.items.length >= this.capacity * 2) {
      const excess = this.items.length - this.capacity;
      this.items = this.items.slice(excess);
      this.dropped += excess;
    }
  }
  view(): T[] {
    const excess = Math.max(0, this.items.length - this.capacity);
    return this.items.slice(excess);
  }
  /** Everything kept since the last take, and how many went past the capacity. */
  take(): { items: T[]; dropped: number } {
    const items = this.view();
    const dropped = this.dropped + this.items.length - items.length;
    this.items = [];
    this.dropped = 0;
    return { items, dropped };
  }
}

/** The console's listener on the pipeline's activity feed: counts, recent requests, log lines. */
export class LiveActivity implements ActivityListener {
  readonly stats: LiveStats;
  private readonly recentRequests = new Newest<RequestSummary>(RECENT_REQUESTS);
  private readonly recentLogs = new Newest<FunctionLogLine>(RECENT_LOG_LINES);
  private readonly tickOk = new Newest<RequestSummary>(TICK_OK_REQUESTS);
  private readonly tickOther = new Newest<RequestSummary>(TICK_OTHER_REQUESTS);
  private readonly tickLogs = new Newest<FunctionLogLine>(TICK_LOG_LINES);
  /** Answers that stored readings, kept unparsed: their keys are read only when asked for. */
  private readonly storingAnswers = new Newest<{ time: number; body: Buffer }>(RECENT_ANSWERS);
  private lastTickSecond = 0;

  constructor(
    private readonly apiKey: string,
    historySeconds?: number,
    now?: () => number,
  ) {
    this.stats = new LiveStats(historySeconds, now);
  }

  exchange(exchange: GatewayExchange): void {
    const summary = summarizeExchange(exchange);
    this.stats.record(summary.status, summary.latencyMs, summary.readings);
    this.recentRequests.push(summary);
    (summary.status === 200 ? this.tickOk : this.tickOther).push(summary);
    if (summary.readings > 0 && exchange.functionBody !== undefined) {
      this.storingAnswers.push({ time: summary.time, body: exchange.functionBody });
    }
  }

  /**
   * Keys of the objects the latest answers stored (or found stored), newest first: the live part
   * of the stored-objects panel, without listing the bucket while readings pour in.
   */
  recentKeys(): { key: string; time: number }[] {
    const seen = new Set<string>();
    const out: { key: string; time: number }[] = [];
    for (const answer of this.storingAnswers.view().reverse()) {
      let keys: unknown;
      try {
        keys = (JSON.parse(answer.body.toString('utf8')) as { keys?: unknown }).keys;
      } catch {
        continue;
      }
      if (!Array.isArray(keys)) continue;
      for (const key of keys) {
        if (typeof key !== 'string' || seen.has(key)) continue;
        seen.add(key);
        out.push({ key, time: answer.time });
      }
    }
    return out;
  }

  functionLog(line: FunctionLogLine): void {
    // The handler never logs the key; a careless log line must not show it either.
    const safe = line.message.includes(this.apiKey)
      ? { ...line, message: redactApiKey(line.message, this.apiKey) }
      : line;
    this.recentLogs.push(safe);
    this.tickLogs.push(safe);
  }

  snapshot(): ActivitySnapshot {
    const seconds = this.stats.completedSeconds();
    return {
      seconds,
      latency: this.stats.latency(),
      totals: this.stats.totalsSoFar(),
      requests: this.recentRequests.view(),
      logs: this.recentLogs.view(),
    };
  }

  tick(): ActivityTick {
    const seconds = this.stats.secondsAfter(this.lastTickSecond);
    this.lastTickSecond = seconds.at(-1)?.t ?? this.lastTickSecond;
    const ok = this.tickOk.take();
    const other = this.tickOther.take();
    const logs = this.tickLogs.take();
    return {
      seconds,
      latency: this.stats.latency(),
      totals: this.stats.totalsSoFar(),
      requests: [...ok.items, ...other.items].sort((a, b) => a.time - b.time),
      requestsSkipped: ok.dropped + other.dropped,
      logs: logs.items,
      logsSkipped: logs.dropped,
    };
  }
}
