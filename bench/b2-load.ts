/**
 * B2's load, shared by B2, B6, `bench -- profile` and `bench -- concurrency`: the producer with 16
 * workers and no pause against an emulator process whose usage plan never answers 429.
 */
import { runProducer } from '../producer';
import type { EmulatorProcess } from './emulator-process';

export const B2_WORKERS = 16;
/** Wide enough that the usage plan never answers 429: the pipeline itself is measured. */
export const WIDE_THROTTLE = { rateLimit: 1_000_000, burstLimit: 1_000_000 };

/** B2's producer load on an emulator process for `duration` seconds. */
export function produceB2Load(emulator: EmulatorProcess, batchSize: number, duration: number) {
  return runProducer({
    apiUrl: emulator.ready.target.apiUrl,
    apiKey: emulator.ready.target.apiKey,
    nWorkers: B2_WORKERS,
    maxDelay: 0,
    batchSize,
    duration,
    maxRetries: 0,
    timeoutMs: 60_000,
  });
}

/**
 * Discarded runs at batch 1 and 100: every function instance cold-starts and JIT-compiles here.
 * Then the RSS peak starts over, so it covers the measured runs only.
 */
export async function warmUpB2Load(emulator: EmulatorProcess): Promise<void> {
  await produceB2Load(emulator, 1, 2);
  await produceB2Load(emulator, 100, 2);
  emulator.resetRssPeak();
}
