/**
 * The long variant of test/emulator/s3/crash-safety.test.ts: the emulator's S3 endpoint in a child
 * process, SIGKILLed many times under concurrent conditional PUTs. Target-independent (it is the
 * emulator's own store under test). CRASH_KILLS and CRASH_SEED override the count and replay a run.
 */
import { runCrashTest } from '../../test/emulator/s3/crash-harness';

const kills = Number(process.env.CRASH_KILLS ?? 60);
const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

it(`survives ${kills} SIGKILLs: every object whole, every acknowledged PUT stored`, async () => {
  const result = await runCrashTest({ kills, concurrency: 16, maxUpMs: 400, seed });
  console.log(
    `s3 crash test: ${result.kills} SIGKILLs, ${result.putsInterrupted} PUTs interrupted, ${result.acknowledged} acknowledged, ${result.foundOnRetry} found on retry, ${(result.durationMs / 1000).toFixed(1)} s (CRASH_SEED=${seed})`,
  );
  expect({ problems: result.problems, seed }).toEqual({ problems: [], seed });
  expect(result.objects).toBe(result.acknowledged + result.foundOnRetry);
  expect(result.killsWithPutsInFlight).toBeGreaterThanOrEqual(Math.ceil(kills / 2));
  expect(result.foundOnRetry).toBeGreaterThan(0); // some kills struck between commit and answer
}, 900_000);
