/**
 * What the running pipeline does, for whoever watches it live (the console): each gateway
 * exchange, and each line the function or its runtime logs. The parts check `observed` before
 * building a record, so with nobody listening the cost is one property read per request.
 */
import { Writable } from 'node:stream';
import type { EmulatorLogger } from './log';

/** One request the gateway answered. */
export interface GatewayExchange {
  /** When the request arrived (epoch ms). */
  time: number;
  /** The gateway's request id (x-amzn-RequestId). */
  requestId: string;
  method: string;
  /** Path as requested, query string excluded. */
  path: string;
  status: number;
  /** Arrival to the last byte of the answer (ms). */
  latencyMs: number;
  /**
   * The function's answer body, as sent, when the function answered (not for the gateway's own
   * errors: 403, 413, 429, 502, 504). Its JSON says what happened to each reading.
   */
  functionBody: Buffer | undefined;
}

/** One line of the function's log group: the function's output, or its runtime's. */
export interface FunctionLogLine {
  /** Epoch ms. */
  time: number;
  /** 'function': the handler's stdout/stderr; 'runtime': cold starts, crashes, timeouts. */
  source: 'function' | 'runtime';
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export interface ActivityListener {
  exchange?(exchange: GatewayExchange): void;
  functionLog?(line: FunctionLogLine): void;
}

/** Runtime lines kept for a listener that comes later (the first cold start is at start-up). */
const RUNTIME_BACKLOG = 50;

/** The pipeline's activity, fanned out to listeners; a listener's failure never reaches a part. */
export class ActivityFeed {
  private listeners: readonly ActivityListener[] = [];
  private readonly runtimeBacklog: FunctionLogLine[] = [];

  /** True while anyone listens; parts skip building records otherwise. */
  get observed(): boolean {
    return this.listeners.length > 0;
  }

  /** Starts listening (the recent runtime lines are replayed first); the returned function stops. */
  listen(listener: ActivityListener): () => void {
    for (const line of this.runtimeBacklog) guard(() => listener.functionLog?.(line));
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  exchange(exchange: GatewayExchange): void {
    for (const listener of this.listeners) guard(() => listener.exchange?.(exchange));
  }

  functionLog(line: FunctionLogLine): void {
    if (line.source === 'runtime') {
      this.runtimeBacklog.push(line);
      if (this.runtimeBacklog.length > RUNTIME_BACKLOG) this.runtimeBacklog.shift();
    }
    for (const listener of this.listeners) guard(() => listener.functionLog?.(line));
  }
}

function guard(call: () => void): void {
  try {
    call();
  } catch {
    // A watcher's bug must not fail a request or the function.
  }
}

/** What a part fills in while it answers a request that is watched. */
export interface WatchedExchange {
  functionBody: Buffer | undefined;
}

/**
 * Reports the exchange to the feed once its answer is sent (a client that leaves first is not
 * reported: nothing was answered). Called by the gateway only while the feed is observed.
 */
export function watchExchange(
  feed: ActivityFeed,
  response: { statusCode: number; once(event: 'finish', listener: () => void): unknown },
  request: { time: number; requestId: string; method: string; path: string },
): WatchedExchange {
  const started = performance.now();
  const watched: WatchedExchange = { functionBody: undefined };
  response.once('finish', () =>
    feed.exchange({
      ...request,
      status: response.statusCode,
      latencyMs: performance.now() - started,
      functionBody: watched.functionBody,
    }),
  );
  return watched;
}

/**
 * The function's output stream, passed on to `sink` unchanged and, while the feed is observed,
 * reported line by line. Runtime lines (`<time>\t<request id>\tERROR\t...`) and Powertools JSON
 * lines get their level.
 */
export function teeFunctionOutput(sink: Writable, feed: ActivityFeed): Writable {
  let partial = '';
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (feed.observed) {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        // A line without an end is kept only so long: output without newlines is not held.
        if (partial.length > MAX_PARTIAL_LINE) partial = '';
        const time = Date.now();
        for (const line of lines) {
          const message = line.trimEnd();
          if (message !== '') {
            feed.functionLog({ time, source: 'function', level: levelOf(message), message });
          }
        }
      } else partial = '';
      if (sink.write(chunk)) callback();
      else sink.once('drain', () => callback());
    },
    final(callback) {
      sink.end(() => callback());
    },
  });
}

const MAX_PARTIAL_LINE = 64 * 1024;

function levelOf(line: string): FunctionLogLine['level'] {
  const json = /"level"\s*:\s*"(\w+)"/.exec(line.slice(0, 200))?.[1]?.toLowerCase();
  if (json === 'debug' || json === 'info' || json === 'error') return json;
  if (json === 'warn' || json === 'warning') return 'warn';
  if (json === 'critical') return 'error';
  if (/\tERROR\t/.test(line)) return 'error';
  if (/\tWARN\t/.test(line)) return 'warn';
  return 'info';
}

/**
 * The runtime's own messages (cold starts, init errors, crashes, reloads) go to the feed too,
 * watched or not: they are few, and the feed keeps the latest for a watcher that comes later.
 */
export function loggerWithActivity(logger: EmulatorLogger, feed: ActivityFeed): EmulatorLogger {
  const at =
    (level: FunctionLogLine['level']) =>
    (message: string): void => {
      logger[level](message);
      feed.functionLog({ time: Date.now(), source: 'runtime', level, message });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
