import type { ScheduleContext } from './types';

export interface ClosedLoopOptions {
  nWorkers: number;
  /** Pause after each answer, drawn uniformly from [minDelayMs, maxDelayMs]; maxDelayMs 0 = none. */
  minDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

/**
 * The original emulator's model: each worker sends, waits for the answer, pauses, repeats. Load
 * therefore slows down when the server does (closed loop); use the open loop to hold a rate.
 */
export async function runClosedLoop(ctx: ScheduleContext, opts: ClosedLoopOptions): Promise<void> {
  const { source, producing, clock } = ctx;
  const worker = async () => {
    while (!producing.aborted) {
      const batch = source.take(ctx.batchSize);
      if (batch.length === 0) return;
      await ctx.send(batch);
      if (source.exhausted || producing.aborted || opts.maxDelayMs === 0) continue;
      const pause = opts.minDelayMs + opts.random() * (opts.maxDelayMs - opts.minDelayMs);
      await clock.sleep(pause, producing);
    }
  };
  await Promise.all(Array.from({ length: opts.nWorkers }, worker));
}
