/** Load: 10,000 readings from 32 workers, none lost, none duplicated, no error. */
import { type EmbeddedRun, startEmbedded } from '../support/embedded';
import { produceAndVerify } from '../support/produce';

let run: EmbeddedRun;
beforeAll(async () => {
  // The usage plan (100 requests/s) would make this a test of 429 retries; what is under test
  // is that 10,000 readings land exactly once, so the throttle is widened as in fuzz.test.ts.
  run = await startEmbedded({ throttle: { rateLimit: 100_000, burstLimit: 100_000 } });
});
afterAll(() => run?.dispose());

it('stores 10,000 readings from 32 workers exactly once', async () => {
  const { summary, verdict } = await produceAndVerify(run.pipeline, {
    nEvents: 10_000,
    nWorkers: 32,
  });
  expect(summary).toMatchObject({
    sent: 10_000,
    acked: 10_000,
    failed: 0,
    aborted: 0,
    duplicates: 0,
  });
  // Storage and function keep up: there should be no 5xx.
  expect(Object.keys(summary.statuses).filter((status) => status.startsWith('5'))).toEqual([]);
  expect(verdict).toMatchObject({ expected: 10_000, verified: 10_000, ok: true, otherObjects: 0 });
}, 180_000);
