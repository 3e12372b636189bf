/**
 * The README's fault recipe: the producer against an emulator whose S3 answers SlowDown, whose
 * function fails after storing, and whose gateway throttles and loses answers, all at once (set
 * through the control endpoint). Every reading ends up stored exactly once.
 */
import { addFault, type EmbeddedRun, startEmbedded } from '../support/embedded';
import { produceAndVerify } from '../support/produce';

let run: EmbeddedRun;
beforeAll(async () => {
  run = await startEmbedded({ concurrency: 4 });
});
afterAll(() => run?.dispose());

it('loses and duplicates nothing under S3, function and gateway faults', async () => {
  const specs = [
    's3.put:503@0.2',
    'function.after:throw@0.1',
    'gateway:429@0.1',
    'gateway.after:504#5',
  ];
  for (const spec of specs) await addFault(run.pipeline, spec);
  const { summary, verdict } = await produceAndVerify(run.pipeline, {
    nEvents: 300,
    nWorkers: 8,
    maxRetries: 15,
    retryMaxDelayMs: 500,
  });
  expect(summary).toMatchObject({ sent: 300, acked: 300, failed: 0, aborted: 0 });
  expect(summary.statuses['429']).toBeGreaterThan(0);
  expect(summary.statuses['504']).toBe(5);
  expect(summary.duplicates).toBeGreaterThan(0); // answers lost after storing were retried
  expect(verdict).toMatchObject({ expected: 300, verified: 300, ok: true, otherObjects: 0 });
  const injected = run.pipeline.faults.list().map((fault) => fault.injected);
  expect(injected.every((count) => count > 0)).toBe(true);
});
