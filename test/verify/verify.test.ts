import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3Endpoint, type StartedS3Endpoint } from '../../emulator/s3';
import { toStoredRecord } from '../../handler/core/transform';
import { createReadingGenerator, objectKeyFor, type Reading } from '../../model';
import { checkRecord, formatVerifyReport, verifyLanding } from '../../verify';

// Starting a pipeline bundles and cold-starts a function: slow on a busy machine, not a hang.
jest.setTimeout(30_000);

// The verifier against the emulator's real S3 endpoint, with objects put there by hand: good ones,
// and each kind of fault it must find.
describe('verifyLanding', () => {
  let dir: string;
  let s3: StartedS3Endpoint;
  let client: S3Client;
  const bucket = 'verify-test';
  const next = createReadingGenerator({ seed: 7 });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'verify-test-'));
    s3 = await new S3Endpoint({ dataDir: dir }).start();
    client = new S3Client({
      endpoint: s3.url,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    client.destroy();
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const put = (key: string, body: string, contentType = 'application/json') =>
    client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
    );
  const stored = (reading: Reading) => JSON.stringify(toStoredRecord(reading, new Date()));

  it('counts verified, missing, duplicated, malformed, mistransformed and unconfirmed readings', async () => {
    const [
      good,
      missing,
      duplicated,
      notJson,
      wrongType,
      badGroup,
      otherTemp,
      failedButStored,
      failed,
    ] = Array.from({ length: 9 }, () => next());
    if (!good || !missing || !duplicated || !notJson || !wrongType || !badGroup || !otherTemp)
      throw new Error('generator');
    if (!failedButStored || !failed) throw new Error('generator');
    await put(objectKeyFor(good), stored(good));
    await put(objectKeyFor(duplicated), stored(duplicated));
    await put(
      objectKeyFor({ ...duplicated, epoch: duplicated.epoch - 86_400 }),
      stored(duplicated),
    );
    await put(objectKeyFor(notJson), '{not json');
    await put(objectKeyFor(wrongType), stored(wrongType), 'text/plain');
    await put(
      objectKeyFor(badGroup),
      JSON.stringify({ ...toStoredRecord(badGroup, new Date()), temp_group: 'Z' }),
    );
    await put(
      objectKeyFor(otherTemp),
      stored({ ...otherTemp, temperature: otherTemp.temperature + 1 }),
    );
    await put(objectKeyFor(failedButStored), stored(failedButStored));
    const unrelated = next();
    await put(objectKeyFor(unrelated), stored(unrelated));

    const acked = [good, missing, duplicated, notJson, wrongType, badGroup, otherTemp];
    const report = await verifyLanding({
      s3: client,
      bucket,
      readings: [
        ...acked.map((reading) => ({ reading, outcome: 'acked' })),
        { reading: failedButStored, outcome: 'failed' },
        { reading: failed, outcome: 'aborted' },
      ],
    });
    expect(report.ok).toBe(false);
    expect(report.expected).toBe(7);
    expect(report.verified).toBe(1);
    expect(report.missing.map((m) => m.id)).toEqual([missing.id]);
    expect(report.duplicated.map((d) => d.id)).toEqual([duplicated.id]);
    expect(report.malformed.map((m) => m.id).sort()).toEqual([notJson.id, wrongType.id].sort());
    expect(report.mistransformed.map((m) => [m.id, m.fields]).sort()).toEqual(
      [
        [badGroup.id, ['temp_group']],
        [otherTemp.id, ['temperature']],
      ].sort(),
    );
    expect(report.unconfirmed).toEqual({ total: 2, landed: 1 });
    expect(report.otherObjects).toBe(1);
    expect(formatVerifyReport(report)[0]).toMatch(/^FAILED: 1\/7/);
  });

  it('finds a failed reading that landed twice, and passes the rest', async () => {
    const [ok, failedTwice] = [next(), next()] as [Reading, Reading];
    await put(objectKeyFor(ok), stored(ok));
    await put(objectKeyFor(failedTwice), stored(failedTwice));
    await put(
      objectKeyFor({ ...failedTwice, epoch: failedTwice.epoch - 7200 }),
      stored(failedTwice),
    );
    const report = await verifyLanding({
      s3: client,
      bucket,
      readings: [
        { reading: ok, outcome: 'acked' },
        { reading: failedTwice, outcome: 'failed' },
      ],
    });
    expect(report.verified).toBe(1);
    expect(report.duplicated.map((d) => d.id)).toEqual([failedTwice.id]);
    expect(report.ok).toBe(false);
  });

  it('does not pass a run the server confirmed none of', async () => {
    const report = await verifyLanding({
      s3: client,
      bucket,
      readings: [{ reading: next(), outcome: 'failed' }],
    });
    expect(report).toMatchObject({ expected: 0, ok: false });
    expect(formatVerifyReport(report).join('\n')).toMatch(/FAILED: 0\/0[\s\S]*confirmed none/);
  });

  it('checkRecord flags an object stored under another key', () => {
    const reading = next();
    const verdict = checkRecord({
      expected: reading,
      expectedKey: objectKeyFor(reading),
      key: `events/elsewhere/${reading.id}.json`,
      contentType: 'application/json',
      body: stored(reading),
    });
    expect(verdict).toMatchObject({ kind: 'mistransformed', fields: ['key'] });
  });
});
