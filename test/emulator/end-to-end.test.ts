import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createReadingGenerator,
  objectKeyFor,
  type Reading,
  StoredRecordSchema,
} from '../../model';
import { verifyLanding } from '../../verify';
import { post, startTestPipeline, type TestPipeline } from './helpers';

// Starting a pipeline bundles and cold-starts a function: slow on a busy machine, not a hang.
jest.setTimeout(30_000);

// The real handler (deployment/definition.ts entry), bundled and run in a worker, writing through the
// emulator's S3 endpoint with the AWS SDK: what lands on disk is what an S3 bucket would hold.
describe('end to end: readings POSTed with the key land as transformed objects', () => {
  let t: TestPipeline;
  const next = createReadingGenerator({ seed: 42 });
  beforeAll(async () => {
    t = await startTestPipeline();
  });
  afterAll(() => t?.dispose());

  const onDisk = async (key: string): Promise<unknown> =>
    JSON.parse(await readFile(path.join(t.pipeline.s3Dir, t.pipeline.bucket, key), 'utf8'));

  it('stores a batch and a single reading, one object each, under the contract key', async () => {
    const batch: Reading[] = [next(), next(), next()];
    const single = next();
    const batchResponse = await post(t.pipeline, { body: JSON.stringify(batch) });
    expect(batchResponse.status).toBe(200);
    expect(await batchResponse.json()).toMatchObject({
      accepted: 3,
      duplicates: 0,
      keys: batch.map(objectKeyFor),
    });
    const singleResponse = await post(t.pipeline, { body: JSON.stringify(single) });
    expect(singleResponse.status).toBe(200);

    for (const reading of [...batch, single]) {
      const stored = StoredRecordSchema.parse(await onDisk(objectKeyFor(reading)));
      expect(stored).toMatchObject({ ...reading, ingestion_source: 'aws-api' });
    }
    const report = await verifyLanding({
      s3: t.pipeline.s3,
      bucket: t.pipeline.bucket,
      readings: [...batch, single].map((reading) => ({ reading, outcome: 'acked' })),
    });
    expect(report).toMatchObject({ ok: true, expected: 4, verified: 4, otherObjects: 0 });
  });

  it('reports a re-sent reading as a duplicate and keeps one object', async () => {
    const reading = next();
    expect((await post(t.pipeline, { body: JSON.stringify(reading) })).status).toBe(200);
    const again = await post(t.pipeline, { body: JSON.stringify(reading) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicates: 1 });
    const report = await verifyLanding({
      s3: t.pipeline.s3,
      bucket: t.pipeline.bucket,
      readings: [{ reading, outcome: 'duplicate' }],
    });
    expect(report).toMatchObject({ ok: true, verified: 1, duplicated: [] });
  });

  it('passes the handler’s own 400 through and stores nothing', async () => {
    const good = next();
    const response = await post(t.pipeline, {
      body: JSON.stringify([good, { ...next(), temperature: 'hot' }]),
    });
    expect(response.status).toBe(400);
    const report = await verifyLanding({
      s3: t.pipeline.s3,
      bucket: t.pipeline.bucket,
      readings: [{ reading: good, outcome: 'acked' }],
    });
    expect(report.missing).toEqual([{ id: good.id, key: objectKeyFor(good) }]);
  });

  it('lets a test take storage away and bring it back on the same endpoint', async () => {
    const reading = next();
    await t.pipeline.storage.stop();
    expect(t.pipeline.storage.running).toBe(false);
    const during = await post(t.pipeline, { body: JSON.stringify(reading) });
    expect(during.status).toBe(503);
    await t.pipeline.storage.start();
    const after = await post(t.pipeline, { body: JSON.stringify(reading) });
    expect(after.status).toBe(200);
    expect(await onDisk(objectKeyFor(reading))).toMatchObject({ id: reading.id });
  });
});
