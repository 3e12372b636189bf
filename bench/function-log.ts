import { readFile } from 'node:fs/promises';
import { quantile } from './stats';

export interface HandlerDurations {
  /** readings per request -> handler-reported durationMs of each request. */
  byBatch: Map<number, number[]>;
}

/**
 * The handler's own "request handled" log lines (Powertools JSON, one per invocation, with
 * `readings` and `durationMs`): how long the function ran per request, as Lambda would bill it.
 */
export async function readHandlerDurations(
  logFile: string,
  fromByte = 0,
): Promise<HandlerDurations> {
  const byBatch = new Map<number, number[]>();
  const text = (await readFile(logFile)).subarray(fromByte).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line.includes('request handled')) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof entry !== 'object' || entry === null) continue;
    const { readings, durationMs } = entry as { readings?: unknown; durationMs?: unknown };
    if (typeof readings !== 'number' || typeof durationMs !== 'number') continue;
    const list = byBatch.get(readings) ?? [];
    list.push(durationMs);
    byBatch.set(readings, list);
  }
  return { byBatch };
}

export function durationSummary(values: readonly number[]) {
  return { n: values.length, p50: quantile(values, 0.5), p99: quantile(values, 0.99) };
}
