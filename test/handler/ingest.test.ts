// ingestReadings with the real S3 store against the emulator's S3 endpoint (no SDK mocks).
import { ingestReadings } from '../../handler/ingest';
import { StorageUnavailableError } from '../../handler/store/reading-store';
import { createS3Store } from '../../handler/store/s3-store';
import { objectKeyFor, StoredRecordSchema } from '../../model';
import { readingNo, readingsNo } from './readings';
import { type S3Fixture, startS3Fixture } from './s3-fixture';

let s3: S3Fixture;
const clock = () => new Date();
const deps = () => ({ store: createS3Store({ client: s3.client, bucket: s3.bucket }), clock });

beforeEach(async () => {
  s3 = await startS3Fixture();
});
afterEach(async () => {
  await s3.dispose();
});

describe('ingestReadings (real S3 endpoint)', () => {
  it('stores every reading of a batch under its key, as a valid stored record', async () => {
    const readings = readingsNo(1, 40);
    const outcome = await ingestReadings(readings, deps());
    const keys = readings.map(objectKeyFor);
    expect(outcome).toEqual({ kind: 'done', accepted: 40, duplicates: 0, keys, conflicts: [] });
    expect(await s3.listKeys()).toEqual([...keys].sort());
    const stored = StoredRecordSchema.parse(JSON.parse(await s3.getText(keys[7] ?? '')));
    expect(stored).toMatchObject(readings[7] ?? {});
  });

  it('counts a batch sent again as duplicates and writes nothing new', async () => {
    const readings = readingsNo(1, 20);
    await ingestReadings(readings, deps());
    const before = await s3.getText(objectKeyFor(readingNo(5)));
    const again = await ingestReadings(readings, deps());
    expect(again).toMatchObject({ kind: 'done', accepted: 0, duplicates: 20, conflicts: [] });
    expect(await s3.listKeys()).toHaveLength(20);
    expect(await s3.getText(objectKeyFor(readingNo(5)))).toBe(before);
  });

  it('stores the non-conflicting readings and lists the conflicts, leaving the stored one untouched', async () => {
    await ingestReadings([readingNo(1)], deps());
    const key = objectKeyFor(readingNo(1));
    const before = await s3.getText(key);
    const outcome = await ingestReadings(
      [readingNo(2), readingNo(1, { temperature: -5 }), readingNo(3)],
      deps(),
    );
    expect(outcome).toEqual({
      kind: 'done',
      accepted: 2,
      duplicates: 0,
      keys: [objectKeyFor(readingNo(2)), objectKeyFor(readingNo(3))],
      conflicts: [{ index: 1, id: readingNo(1).id, key }],
    });
    expect(await s3.getText(key)).toBe(before);
    expect(await s3.listKeys()).toHaveLength(3);
  });

  it('reports a storage outage, and the same batch retried later completes without duplicates', async () => {
    const batch = readingsNo(1, 30);
    // An earlier attempt got part of the batch in before storage failed.
    await ingestReadings(batch.slice(0, 12), deps());
    await s3.stop();
    const failed = await ingestReadings(batch, deps());
    expect(failed).toEqual({ kind: 'storage-failed', error: expect.any(StorageUnavailableError) });

    await s3.restart();
    const retried = await ingestReadings(batch, deps());
    expect(retried).toMatchObject({ kind: 'done', accepted: 18, duplicates: 12, conflicts: [] });
    expect(await s3.listKeys()).toEqual(batch.map(objectKeyFor).sort());
  });
});
