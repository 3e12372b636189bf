/**
 * The S3 endpoint stops mid-run and comes back: the handler answers 503, the producer retries,
 * and in the end every reading is stored exactly once (ids compared, not just counts).
 * Embedded target only: it needs a storage endpoint the test can stop.
 */
import path from 'node:path';
import { Bucket } from '../support/bucket';
import { type EmbeddedRun, startEmbedded } from '../support/embedded';
import { produceAndVerify } from '../support/produce';

let run: EmbeddedRun;
beforeAll(async () => {
  // A wide throttle: the outage's 503s are under test, not the usage plan's 429s.
  run = await startEmbedded({
    concurrency: 4,
    throttle: { rateLimit: 100_000, burstLimit: 100_000 },
  });
});
afterAll(() => run?.dispose());

it('ends with every reading stored exactly once after an outage', async () => {
  const { pipeline } = run;
  let outage: Promise<void> | undefined;
  const { summary, readings, verdict } = await produceAndVerify(pipeline, {
    nEvents: 400,
    nWorkers: 8,
    maxDelay: 0.01,
    maxRetries: 12,
    retryMaxDelayMs: 1000,
    onProgress: (progress) => {
      // Once a quarter is stored, storage goes away for a second while requests keep coming.
      if (outage || progress.acked < 100) return;
      outage = (async () => {
        await pipeline.storage.stop();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await pipeline.storage.start();
      })();
    },
  });
  await outage;

  expect(outage).toBeDefined();
  expect(summary.statuses['503']).toBeGreaterThan(0);
  expect(summary).toMatchObject({ sent: 400, acked: 400, failed: 0, aborted: 0 });

  expect(verdict).toMatchObject({ expected: 400, verified: 400, ok: true, otherObjects: 0 });

  const bucket = new Bucket(pipeline.s3, pipeline.bucket);
  const storedIds = (await bucket.keys('events/')).map((key) => path.basename(key, '.json')).sort();
  bucket.destroy();
  expect(storedIds).toEqual(readings.map(({ reading }) => reading.id).sort());
});
