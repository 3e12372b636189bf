import type { Reading } from '../model';
import type { Clock } from './clock';
import type { HttpClient, HttpResult } from './http-client';
import { redactApiKey } from './mask';
import { type BatchVerdict, interpretResult } from './response-outcome';
import { isRetryable, RetryDelays } from './retry-policy';
import type { ProducerStats } from './stats';

export interface SendContext {
  client: HttpClient;
  stats: ProducerStats;
  clock: Clock;
  apiKey: string;
  /** Send an array even for one reading (batch mode). */
  asArray: boolean;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Aborted on Ctrl+C: no further retries; waits for a retry end at once. */
  interrupt: AbortSignal;
}

function statusLabel(result: HttpResult): string {
  return result.kind === 'response' ? String(result.status) : result.kind;
}

function allAborted(batch: readonly Reading[], reason: string): BatchVerdict {
  return { outcomes: batch.map(() => ({ outcome: 'aborted', reason })), duplicates: 0 };
}

/**
 * Sends one request (one reading or a batch) until it gets a final answer or runs out of retries,
 * and settles every reading in the stats. Retrying is safe: the server derives each reading's key
 * from the reading, so a repeated write is reported as a duplicate, never stored twice.
 */
export async function sendBatch(batch: readonly Reading[], ctx: SendContext): Promise<void> {
  const { clock, stats } = ctx;
  const start = stats.startBatch(batch);
  const body = JSON.stringify(ctx.asArray ? batch : batch[0]);
  let delays: RetryDelays | undefined; // only for a request that is retried: most never are
  let attempts = 0;
  let verdict: BatchVerdict;
  for (;;) {
    const t0 = clock.now();
    const result = await ctx.client.post(body);
    attempts += 1;
    stats.recordAttempt(
      result.kind === 'aborted' ? undefined : clock.now() - t0,
      statusLabel(result),
      attempts > 1,
    );
    if (result.kind === 'aborted') {
      verdict = allAborted(batch, 'stopped while the request was in flight');
      break;
    }
    if (!isRetryable(result) || attempts > ctx.maxRetries) {
      verdict = interpretResult(batch, result, ctx.timeoutMs);
      break;
    }
    delays ??= new RetryDelays(ctx.retryBaseDelayMs, ctx.retryMaxDelayMs);
    if (!ctx.interrupt.aborted) await clock.sleep(delays.next(result), ctx.interrupt);
    if (ctx.interrupt.aborted) {
      verdict = allAborted(batch, 'stopped before a retry');
      break;
    }
  }
  for (const o of verdict.outcomes) if (o.reason) o.reason = redactApiKey(o.reason, ctx.apiKey);
  stats.settle(start, verdict, attempts);
}
