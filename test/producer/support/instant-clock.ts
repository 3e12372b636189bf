import type { Clock } from '../../../producer';

/**
 * Real time for latency, but sleeps (backoff, pauses) return at once and are recorded, so retry
 * tests can check the waits chosen (Retry-After honoured) without waiting them.
 */
export function instantSleepClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => performance.now(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}
