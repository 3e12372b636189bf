/**
 * The producer stopped by SIGINT mid-run: its counts are exact and every reading it reported as
 * acknowledged is in S3 exactly once. Runs the CLI as the producer image ships it, in a child
 * process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../deployment/repo-root';
import { bundleCliAsImage, cleanEnv, startCli, waitFor } from '../../test/producer/support/run-cli';
import { readProducerReport, verifyLanding } from '../../verify';
import { Bucket } from '../support/bucket';
import { type EmbeddedRun, startEmbedded } from '../support/embedded';

let run: EmbeddedRun;
let bundleDir: string;
let bundle: string;
beforeAll(async () => {
  bundleDir = await mkdtemp(path.join(tmpdir(), 'producer-interrupted-'));
  [run, bundle] = await Promise.all([startEmbedded(), bundleCliAsImage(bundleDir)]);
});
afterAll(async () => {
  await run?.dispose();
  await rm(bundleDir, { recursive: true, force: true });
});

it('prints exact counts, exits 130, and every acknowledged reading is stored', async () => {
  const { pipeline } = run;
  const reportFile = path.join(run.dir, 'report.json');
  const bucket = new Bucket(pipeline.s3, pipeline.bucket);
  let stored = 0;
  const cli = startCli(
    bundle,
    [
      '--n-events',
      '100000',
      '--n-workers',
      '4',
      '--min-delay',
      '0',
      '--max-delay',
      '0.02',
      '--json',
      '--report',
      reportFile,
    ],
    { cwd: repoRoot, env: cleanEnv({ API_URL: pipeline.apiUrl, API_KEY: pipeline.apiKey }) },
  );
  try {
    // Interrupt once the run is well under way, with requests in flight.
    for (let polls = 0; stored < 50 && polls < 200; polls++) {
      stored = (await bucket.keys('events/')).length;
      if (stored < 50) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(stored).toBeGreaterThanOrEqual(50);
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    expect(code).toBe(130);
    await waitFor(() => cli.stdout().trim().endsWith('}'), 'the JSON summary');
  } finally {
    cli.child.kill('SIGKILL');
    bucket.destroy();
  }

  const summary = JSON.parse(cli.stdout()) as Record<string, number>;
  expect(summary.stoppedBy).toBe('signal');
  expect(summary.sent).toBe((summary.acked ?? 0) + (summary.failed ?? 0) + (summary.aborted ?? 0));
  // Objects seen before the interrupt came from requests that were then acked or aborted.
  expect((summary.acked ?? 0) + (summary.aborted ?? 0)).toBeGreaterThanOrEqual(stored);
  expect(summary.failed).toBe(0);

  const readings = await readProducerReport(reportFile);
  expect(readings).toHaveLength(summary.sent ?? -1);
  const verdict = await verifyLanding({ s3: pipeline.s3, bucket: pipeline.bucket, readings });
  expect(verdict).toMatchObject({ expected: summary.acked, verified: summary.acked, ok: true });
  // Aborted readings may or may not have landed; nothing else may be in the bucket.
  expect(verdict.otherObjects).toBe(0);
  expect(verdict.unconfirmed.total).toBe(summary.aborted);
});
