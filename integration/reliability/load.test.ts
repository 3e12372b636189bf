/** Load: 10,000 readings from 32 workers, none lost, none duplicated, no error. */
import path from 'node:path';
import { runProducer } from '../../producer';
import { readProducerReport, verifyLanding } from '../../verify';
import { type EmbeddedRun, startEmbedded } from '../support/embedded';

let run: EmbeddedRun;
beforeAll(async () => {
  run = await startEmbedded();
});
afterAll(() => run?.dispose());

it('stores 10,000 readings from 32 workers exactly once', async () => {
  const reportFile = path.join(run.dir, 'report.json');
  const summary = await runProducer({
    apiUrl: run.pipeline.apiUrl,
    apiKey: run.pipeline.apiKey,
    nEvents: 10_000,
    nWorkers: 32,
    minDelay: 0,
    maxDelay: 0,
    reportFile,
  });
  expect(summary).toMatchObject({
    sent: 10_000,
    acked: 10_000,
    failed: 0,
    aborted: 0,
    duplicates: 0,
  });
  // 429s from the usage-plan throttle would be retried, not errors; there should be no 5xx.
  expect(Object.keys(summary.statuses).filter((status) => status.startsWith('5'))).toEqual([]);

  const verdict = await verifyLanding({
    s3: run.pipeline.s3,
    bucket: run.pipeline.bucket,
    readings: await readProducerReport(reportFile),
  });
  expect(verdict).toMatchObject({ expected: 10_000, verified: 10_000, ok: true, otherObjects: 0 });
}, 180_000);
