/**
 * A key that vanishes between the conditional put's 412 and the read that follows, against the
 * emulator's S3 endpoint answering as AWS answers the deployed role (no s3:ListBucket): the read
 * of the missing key is 403 AccessDenied, not 404. The object is deleted by a second client at
 * that moment (a client middleware runs the delete when the first PUT fails with 412).
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { toStoredRecord } from '../../handler/core/transform';
import { createS3Store } from '../../handler/store/s3-store';
import type { Reading } from '../../model';
import { objectKeyFor } from '../../model';
import { type S3Fixture, s3ClientFor, startS3Fixture } from './s3-fixture';

const reading: Reading = {
  id: '0b7d1f2e-3c4a-4d5e-8f6a-7b8c9d0e1f2a',
  sensor_id: '6f1c2a4e-8b3d-4c5e-9a7f-1e2d3c4b5a60',
  temperature: 18.25,
  epoch: 1_780_000_000,
};
const key = objectKeyFor(reading);

let s3: S3Fixture;
let client: S3Client;
/** Each S3 call of the store's client: operation and HTTP status. */
let calls: string[];

beforeEach(async () => {
  s3 = await startS3Fixture('readings', { withoutListBucket: true });
  client = s3ClientFor(s3.url);
  calls = [];
  let deleted = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context.commandName ?? '').replace(/Command$/, '');
      try {
        const out = await next(args);
        calls.push(`${name} 200`);
        return out;
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
          ?.httpStatusCode;
        calls.push(`${name} ${status}`);
        if (name === 'PutObject' && status === 412 && !deleted) {
          deleted = true;
          await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'recordAndVanish' },
  );
});
afterEach(async () => {
  client.destroy();
  await s3.dispose();
});

it('stores the reading when its key vanished after the 412, although the read is a 403', async () => {
  const first = toStoredRecord(reading, new Date('2026-06-01T12:00:00Z'));
  const setup = createS3Store({ client: s3.client, bucket: s3.bucket });
  await expect(setup.putIfAbsent(key, first)).resolves.toBe('stored');

  const store = createS3Store({ client, bucket: s3.bucket, retryDelayMs: 1 });
  const again = toStoredRecord(reading, new Date('2026-06-01T12:05:00Z'));
  await expect(store.putIfAbsent(key, again)).resolves.toBe('stored');
  expect(calls).toEqual(['PutObject 412', 'GetObject 403', 'PutObject 200']);
  expect(JSON.parse(await s3.getText(key))).toEqual(again);
});

it('still tells a duplicate when the key is there: the read succeeds', async () => {
  const setup = createS3Store({ client: s3.client, bucket: s3.bucket });
  await setup.putIfAbsent(key, toStoredRecord(reading, new Date()));
  // A store whose client never deletes: a plain duplicate on an endpoint without ListBucket.
  const plain = s3ClientFor(s3.url);
  try {
    const store = createS3Store({ client: plain, bucket: s3.bucket });
    await expect(store.putIfAbsent(key, toStoredRecord(reading, new Date()))).resolves.toBe(
      'duplicate',
    );
  } finally {
    plain.destroy();
  }
});
