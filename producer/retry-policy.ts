import { ExponentialBackoff, fullJitterGenerator, type IBackoff } from 'cockatiel';
import { DEPLOYMENT_ERROR_CODES } from '../model';
import type { HttpResult } from './http-client';

/** API Gateway's body when a key's usage-plan quota is used up (429, until the period resets). */
const QUOTA_EXCEEDED_MESSAGE = 'Limit Exceeded';

function bodyField(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/**
 * docs/CONTRACT.md, "Retries": timeouts, network errors, 429 and 5xx are transient, with two
 * exceptions a retry cannot fix: a 429 for a used-up quota (`Limit Exceeded`: it lasts until the
 * quota period resets) and a function 5xx whose `code` names a broken deployment (no bucket, no
 * permission). The gateway's bare 500 `{"message":"Internal server error"}`, which is what
 * Lambda throttling looks like, is retried. Any other answer is final.
 */
export function isRetryable(result: HttpResult): boolean {
  if (result.kind === 'timeout' || result.kind === 'network') return true;
  if (result.kind !== 'response') return false;
  if (result.status === 429) return bodyField(result.body, 'message') !== QUOTA_EXCEEDED_MESSAGE;
  if (result.status >= 500) {
    const code = bodyField(result.body, 'code');
    return !(typeof code === 'string' && DEPLOYMENT_ERROR_CODES.has(code));
  }
  return false;
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its day and month; Date.parse alone would read "1.5" as a date in 2001.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed))
    return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Delays for one request's retries: exponential backoff with FULL jitter (random between 0 and
 * base * 2^attempt, capped), which spreads clients that failed together (AWS Architecture Blog,
 * "Exponential Backoff and Jitter"). A server's Retry-After wins over the computed delay.
 */
export class RetryDelays {
  private backoff: IBackoff<unknown> | undefined;
  private readonly factory: ExponentialBackoff<number>;

  constructor(
    baseDelayMs: number,
    private readonly maxDelayMs: number,
  ) {
    this.factory = new ExponentialBackoff({
      generator: fullJitterGenerator,
      initialDelay: baseDelayMs,
      maxDelay: maxDelayMs,
    });
  }

  /** The wait before the next attempt, given the response that failed. */
  next(result: HttpResult): number {
    this.backoff = this.backoff ? this.backoff.next(undefined) : this.factory.next();
    const retryAfter =
      result.kind === 'response' ? parseRetryAfter(result.headers['retry-after']) : undefined;
    return Math.min(retryAfter ?? this.backoff.duration, this.maxDelayMs);
  }
}
