import type { Reading } from '../../model';
import { systemClock } from '../../producer';
import { createReadingSource } from '../../producer/reading-source';
import { runClosedLoop } from '../../producer/schedule/closed-loop';
import { runOpenLoop } from '../../producer/schedule/open-loop';

// Fake timers drive the default clock (setTimeout and performance.now are replaced), so the
// schedule is checked in virtual time: exact instants, no real waiting, no timing assertions.
beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

function context(limit: number, batchSize: number, sendMs = 0) {
  const producing = new AbortController();
  const sends: { at: number; size: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = async (batch: Reading[]) => {
    sends.push({ at: performance.now(), size: batch.length });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (sendMs > 0) await systemClock.sleep(sendMs);
    inFlight -= 1;
  };
  return {
    producing,
    sends,
    maxInFlight: () => maxInFlight,
    ctx: {
      source: createReadingSource({ limit, seed: 1 }),
      batchSize,
      clock: systemClock,
      producing: producing.signal,
      send,
    },
  };
}

describe('open loop (--rate)', () => {
  test('requests leave on an absolute schedule: rate 10/s = one every 100 ms', async () => {
    const t = context(5, 1, 30);
    const done = runOpenLoop(t.ctx, { rate: 10, maxInFlight: 4 });
    await jest.advanceTimersByTimeAsync(1000);
    const report = await done;
    expect(t.sends.map((s) => s.at)).toEqual([0, 100, 200, 300, 400]);
    expect(report).toMatchObject({
      target: 10,
      achieved: 10,
      lateRequests: 0,
      maxLagMs: 0,
      capWaits: 0,
      behind: false,
    });
  });

  test('batches: rate counts readings, so 10/s in batches of 4 is a request every 400 ms; last batch is short', async () => {
    const t = context(10, 4);
    const done = runOpenLoop(t.ctx, { rate: 10, maxInFlight: 1 });
    await jest.advanceTimersByTimeAsync(2000);
    await done;
    expect(t.sends).toEqual([
      { at: 0, size: 4 },
      { at: 400, size: 4 },
      { at: 800, size: 2 },
    ]);
  });

  test('responses slower than the rate do not slow the schedule while slots are free', async () => {
    const t = context(4, 1, 250); // each answer takes 250 ms, one due every 100 ms
    const done = runOpenLoop(t.ctx, { rate: 10, maxInFlight: 8 });
    await jest.advanceTimersByTimeAsync(2000);
    await done;
    expect(t.sends.map((s) => s.at)).toEqual([0, 100, 200, 300]);
    expect(t.maxInFlight()).toBe(3);
  });

  test('at the in-flight cap the schedule slips, and the report says it fell behind', async () => {
    const t = context(4, 1, 250);
    const done = runOpenLoop(t.ctx, { rate: 10, maxInFlight: 1 });
    await jest.advanceTimersByTimeAsync(2000);
    const report = await done;
    expect(t.sends.map((s) => s.at)).toEqual([0, 250, 500, 750]);
    expect(t.maxInFlight()).toBe(1);
    expect(report).toMatchObject({
      lateRequests: 3,
      maxLagMs: 450,
      capWaits: 3,
      behind: true,
      inFlightCap: 1,
    });
    expect(report.achieved).toBeLessThan(report.target);
  });

  test('waiting at the cap wakes on the abort, and a run stopped before any request reports 0/s', async () => {
    const t = context(100, 1, 10_000);
    const done = runOpenLoop(t.ctx, { rate: 10, maxInFlight: 1 });
    await jest.advanceTimersByTimeAsync(500); // the first request holds the only slot
    t.producing.abort();
    await jest.advanceTimersByTimeAsync(10_000);
    expect((await done).achieved).toBeGreaterThan(0);
    expect(t.sends).toHaveLength(1);

    const early = context(100, 1);
    early.producing.abort();
    const report = await runOpenLoop(early.ctx, { rate: 10, maxInFlight: 1 });
    expect(early.sends).toEqual([]);
    expect(report.achieved).toBe(0);
  });

  test('stops issuing when producing is aborted', async () => {
    const t = context(100, 1);
    const done = runOpenLoop(t.ctx, { rate: 10, maxInFlight: 1 });
    await jest.advanceTimersByTimeAsync(250);
    t.producing.abort();
    await jest.advanceTimersByTimeAsync(1000);
    await done;
    expect(t.sends.map((s) => s.at)).toEqual([0, 100, 200]);
  });
});

describe('closed loop (default)', () => {
  test('each worker pauses random(min..max) after each answer', async () => {
    const t = context(6, 1, 50);
    const draws = [0, 0.5, 1, 0.25];
    let i = 0;
    const done = runClosedLoop(t.ctx, {
      nWorkers: 1,
      minDelayMs: 1000,
      maxDelayMs: 3000,
      random: () => draws[i++ % 4] ?? 0,
    });
    await jest.advanceTimersByTimeAsync(20_000);
    await done;
    // send 50 ms, then pauses of 1000, 2000, 3000, 1500, 1000 ms; no pause after the last one.
    expect(t.sends.map((s) => s.at)).toEqual([0, 1050, 3100, 6150, 7700, 8750]);
  });

  test('n workers send concurrently, never more than n at once; maxDelay 0 means no pause', async () => {
    const t = context(9, 1, 100);
    const done = runClosedLoop(t.ctx, {
      nWorkers: 3,
      minDelayMs: 0,
      maxDelayMs: 0,
      random: Math.random,
    });
    await jest.advanceTimersByTimeAsync(1000);
    await done;
    expect(t.sends.map((s) => s.at)).toEqual([0, 0, 0, 100, 100, 100, 200, 200, 200]);
    expect(t.maxInFlight()).toBe(3);
  });

  test('an abort ends the pause at once and nothing new starts', async () => {
    const t = context(10, 1);
    const done = runClosedLoop(t.ctx, {
      nWorkers: 1,
      minDelayMs: 5000,
      maxDelayMs: 5000,
      random: Math.random,
    });
    await jest.advanceTimersByTimeAsync(6000);
    t.producing.abort();
    await done;
    expect(t.sends.map((s) => s.at)).toEqual([0, 5000]);
  });
});
