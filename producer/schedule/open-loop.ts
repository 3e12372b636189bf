import type { ScheduleContext } from './types';

export interface OpenLoopOptions {
  /** Readings per second. A request carries batchSize readings, so requests leave every batchSize/rate s. */
  rate: number;
  /** Requests allowed on the wire at once; when all are busy the schedule slips (and says so). */
  maxInFlight: number;
}

/** How well the schedule was kept. */
export interface OpenLoopReport {
  /** Readings per second asked for. */
  target: number;
  /** Readings per second actually issued, over the span of the schedule. */
  achieved: number;
  inFlightCap: number;
  /** Requests that left more than LATE_MS after their slot. */
  lateRequests: number;
  maxLagMs: number;
  /** Times a due request had to wait for a free in-flight slot: the server is slower than the rate. */
  capWaits: number;
  /** The schedule slipped: raise --n-workers (more connections) or lower --rate. */
  behind: boolean;
}

/** Timer wake-ups are never exact; a slip under this is noise, not the server falling behind. */
export const LATE_MS = 10;

/**
 * Open loop: request k is due at start + k * interval, whatever the answers take, so a slow server
 * meets the same arrival rate instead of slowing the producer down (no coordinated omission).
 * Slots are absolute, so timer jitter does not accumulate; a late request leaves as soon as it can.
 */
export async function runOpenLoop(
  ctx: ScheduleContext,
  opts: OpenLoopOptions,
): Promise<OpenLoopReport> {
  const { clock, source, producing } = ctx;
  const intervalMs = (ctx.batchSize / opts.rate) * 1000;
  const inFlight = new Set<Promise<void>>();
  // Wakes the loop when a request ends or production stops. One waiter at a time, each removing
  // its own listener: racing the in-flight set against a never-settling "stopped" promise would
  // add a reaction to it on every wait, growing without bound over a long run.
  let wake: (() => void) | undefined;
  const slotFreed = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        producing.removeEventListener('abort', done);
        wake = undefined;
        resolve();
      };
      wake = done;
      producing.addEventListener('abort', done, { once: true });
    });
  const t0 = clock.now();
  let issuedReadings = 0;
  let lastIssueAt = t0 - intervalMs;
  let lateRequests = 0;
  let maxLagMs = 0;
  let capWaits = 0;

  for (let k = 0; !producing.aborted && !source.exhausted; k++) {
    const due = t0 + k * intervalMs;
    const wait = due - clock.now();
    if (wait > 0) await clock.sleep(wait, producing);
    if (inFlight.size >= opts.maxInFlight) capWaits += 1;
    while (inFlight.size >= opts.maxInFlight && !producing.aborted) await slotFreed();
    if (producing.aborted) break;
    const batch = source.take(ctx.batchSize);
    if (batch.length === 0) break;
    const issuedAt = clock.now();
    const lag = issuedAt - due;
    if (lag > LATE_MS) lateRequests += 1;
    maxLagMs = Math.max(maxLagMs, lag);
    issuedReadings += batch.length;
    lastIssueAt = issuedAt;
    const sending: Promise<void> = ctx.send(batch).finally(() => {
      inFlight.delete(sending);
      wake?.();
    });
    inFlight.add(sending);
  }
  // Span of the schedule as kept: N requests on time take N intervals (the last one's slot included).
  const spanS = (lastIssueAt - t0 + intervalMs) / 1000;
  await Promise.all(inFlight);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    target: opts.rate,
    achieved: spanS > 0 ? round(issuedReadings / spanS) : 0,
    inFlightCap: opts.maxInFlight,
    lateRequests,
    maxLagMs: round(maxLagMs),
    capWaits,
    behind: lateRequests > 0,
  };
}
