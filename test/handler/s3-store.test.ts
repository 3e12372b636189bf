import { toStoredRecord } from '../../handler/core/transform';
import { StorageRejectedError, StorageUnavailableError } from '../../handler/store/reading-store';
import { createS3Store } from '../../handler/store/s3-store';
import { objectKeyFor, type Reading, StoredRecordSchema } from '../../model';
import { type S3Fixture, startS3Fixture } from './s3-fixture';

const reading: Reading = {
  id: '3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f',
  sensor_id: '6f1c2a4e-8b3d-4c5e-9a7f-1e2d3c4b5a60',
  temperature: 21.5,
  epoch: 1_780_000_000,
};
const key = objectKeyFor(reading);
const at = (iso: string) => new Date(iso);

let s3: S3Fixture;
beforeEach(async () => {
  s3 = await startS3Fixture();
});
afterEach(async () => {
  await s3.dispose();
});

describe('createS3Store (real S3 endpoint)', () => {
  it('stores a new reading as a JSON object under its key', async () => {
    const store = createS3Store({ client: s3.client, bucket: s3.bucket });
    const record = toStoredRecord(reading, at('2026-06-01T12:00:00Z'));
    await expect(store.putIfAbsent(key, record)).resolves.toBe('stored');
    expect(await s3.listKeys()).toEqual([key]);
    expect(StoredRecordSchema.parse(JSON.parse(await s3.getText(key)))).toEqual(record);
    expect(await s3.contentType(key)).toBe('application/json');
  });

  it('reports the same reading stored again as a duplicate and keeps the first object', async () => {
    const store = createS3Store({ client: s3.client, bucket: s3.bucket });
    await store.putIfAbsent(key, toStoredRecord(reading, at('2026-06-01T12:00:00Z')));
    const before = await s3.getText(key);
    await expect(
      store.putIfAbsent(key, toStoredRecord(reading, at('2026-06-01T13:00:00Z'))),
    ).resolves.toBe('duplicate');
    expect(await s3.getText(key)).toBe(before);
  });

  it('reports a different reading under the same key as a conflict and never overwrites', async () => {
    const store = createS3Store({ client: s3.client, bucket: s3.bucket });
    await store.putIfAbsent(key, toStoredRecord(reading, at('2026-06-01T12:00:00Z')));
    const before = await s3.getText(key);
    const other = toStoredRecord({ ...reading, temperature: 22 }, at('2026-06-01T13:00:00Z'));
    await expect(store.putIfAbsent(key, other)).resolves.toBe('conflict');
    expect(await s3.getText(key)).toBe(before);
  });

  it('lets exactly one of many concurrent writers of one reading store it', async () => {
    const store = createS3Store({ client: s3.client, bucket: s3.bucket });
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => store.putIfAbsent(key, toStoredRecord(reading, new Date()))),
    );
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(11);
  });

  it('surfaces a stopped endpoint as StorageUnavailable', async () => {
    const store = createS3Store({ client: s3.client, bucket: s3.bucket });
    await s3.stop();
    await expect(
      store.putIfAbsent(key, toStoredRecord(reading, new Date())),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('surfaces an abort (the function deadline) as StorageUnavailable', async () => {
    const store = createS3Store({ client: s3.client, bucket: s3.bucket });
    const record = toStoredRecord(reading, new Date());
    await expect(
      store.putIfAbsent(key, record, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(await s3.listKeys()).toEqual([]);
  });

  it('surfaces a missing bucket as StorageRejected (a retry will not help)', async () => {
    const store = createS3Store({ client: s3.client, bucket: 'no-such-bucket' });
    const error = await store
      .putIfAbsent(key, toStoredRecord(reading, new Date()))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageRejectedError);
    expect(String(error)).toMatch(/NoSuchBucket.*Check BUCKET_NAME/);
  });
});
