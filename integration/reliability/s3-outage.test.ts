/**
 * The S3 endpoint stops mid-run and comes back: the handler answers 503, the producer retries,
 * and in the end every reading is stored exactly once (ids compared, not just counts).
 * Embedded target only: it needs a storage endpoint the test can stop.
 */
import path from 'node:path';
import { runProducer } from '../../producer';
import { readProducerReport, verifyLanding } from '../../verify';
import { Bucket } from '../support/bucket';
import { type EmbeddedRun, startEmbedded } from '../support/embedded';

let run: EmbeddedRun;
beforeAll(async () => {
  run = await startEmbedded({ concurrency: 4 });
});
afterAll(() => run?.dispose());

it('ends with every reading stored exactly once after an outage', async () => {
  const { pipeline } = run;
  const reportFile = path.join(run.dir, 'report.json');
  let outage: Promise<void> | undefined;
  const summary = await runProducer({
    apiUrl: pipeline.apiUrl,
    apiKey: pipeline.apiKey,
    nEvents: 400,
    nWorkers: 8,
    minDelay: 0,
    maxDelay: 0.01,
    maxRetries: 12,
    retryMaxDelayMs: 1000,
    reportFile,
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

  const readings = await readProducerReport(reportFile);
  const verdict = await verifyLanding({ s3: pipeline.s3, bucket: pipeline.bucket, readings });
  expect(verdict).toMatchObject({ expected: 400, verified: 400, ok: true, otherObjects: 0 });

  const bucket = new Bucket(pipeline.s3, pipeline.bucket);
  const storedIds = (await bucket.keys('events/')).map((key) => path.basename(key, '.json')).sort();
  bucket.destroy();
  expect(storedIds).toEqual(readings.map(({ reading }) => reading.id).sort());
});
