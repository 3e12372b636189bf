/**
 * SIGKILL at random moments under concurrent conditional PUTs: no half-stored object, no lost
 * acknowledged PUT. The integration suite runs a longer variant (integration/reliability).
 * CRASH_KILLS and CRASH_SEED override the kill count and replay a run.
 *
 * @slow 20 SIGKILLed restarts of the endpoint under load, then every object read back
 */
import { runCrashTest } from './crash-harness';

const kills = Number(process.env.CRASH_KILLS ?? 20);
const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

test(`every object is whole and every acknowledged PUT exists after ${kills} SIGKILLs`, async () => {
  const result = await runCrashTest({ kills, concurrency: 16, maxUpMs: 400, seed });
  const summary = `${result.kills} SIGKILLs (${result.killsWithPutsInFlight} with PUTs in flight, ${result.putsInterrupted} PUTs interrupted), ${result.acknowledged} acknowledged, ${result.foundOnRetry} found on retry, ${result.objects} objects, ${(result.durationMs / 1000).toFixed(1)} s; replay with CRASH_SEED=${seed}`;
  console.log(`crash test: ${summary}`);
  expect({ problems: result.problems, seed }).toEqual({ problems: [], seed });
  expect(result.objects).toBe(result.acknowledged + result.foundOnRetry);
  // The kills really struck mid-write, or the test proves nothing.
  expect(result.killsWithPutsInFlight).toBeGreaterThanOrEqual(Math.ceil(kills / 2));
  // Leftovers of the killed processes are gone: only the live process's temp folder remains.
  expect(result.tempEntriesAfterRestart.length).toBeLessThanOrEqual(1);
}, 300_000);
