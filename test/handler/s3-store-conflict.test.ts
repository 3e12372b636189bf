/**
 * Real S3 answers 409 ConditionalRequestConflict while another conditional write to the same key
 * is in progress (a producer retry racing its original request). The emulator's S3 endpoint
 * serialises writers instead, so this case needs a server that speaks S3's error shape: a small
 * local HTTP server, driven through the real SDK. It also answers every GetObject with 403
 * AccessDenied, as S3 does for a missing key when the role has no s3:ListBucket (the stack's role).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { toStoredRecord } from '../../handler/core/transform';
import { StorageRejectedError, StorageUnavailableError } from '../../handler/store/reading-store';
import { createS3Store } from '../../handler/store/s3-store';
import { objectKeyFor, type Reading } from '../../model';

const reading: Reading = {
  id: '3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f',
  sensor_id: '6f1c2a4e-8b3d-4c5e-9a7f-1e2d3c4b5a60',
  temperature: 21.5,
  epoch: 1_780_000_000,
};
const record = toStoredRecord(reading, new Date('2026-06-01T12:00:00Z'));
const key = objectKeyFor(reading);

const s3Error = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message><RequestId>r</RequestId></Error>`;

let server: Server;
let client: S3Client;
let requests: string[];
/** How many PUTs answer 409 before one succeeds. */
let busyPuts: number;
/** PUTs answer 412: the key exists (and every GET is refused). */
let keyExists: boolean;

beforeEach(async () => {
  requests = [];
  keyExists = false;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push(req.method ?? '');
      if (req.method === 'PUT' && busyPuts > 0) {
        busyPuts -= 1;
        res
          .writeHead(409, { 'content-type': 'application/xml' })
          .end(s3Error('ConditionalRequestConflict'));
      } else if (req.method === 'PUT' && keyExists) {
        res
          .writeHead(412, { 'content-type': 'application/xml' })
          .end(s3Error('PreconditionFailed'));
      } else if (req.method === 'PUT') {
        res.writeHead(200, { etag: '"e"' }).end();
      } else {
        res.writeHead(403, { 'content-type': 'application/xml' }).end(s3Error('AccessDenied'));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterEach(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

it('repeats the conditional put after a 409 instead of reading a key that may not exist', async () => {
  busyPuts = 2;
  const store = createS3Store({ client, bucket: 'b', retryDelayMs: 1 });
  await expect(store.putIfAbsent(key, record)).resolves.toBe('stored');
  expect(requests).toEqual(['PUT', 'PUT', 'PUT']);
});

it('answers "unavailable, retry" when the key stays busy', async () => {
  busyPuts = 100;
  const store = createS3Store({ client, bucket: 'b', attempts: 3, retryDelayMs: 1 });
  await expect(store.putIfAbsent(key, record)).rejects.toBeInstanceOf(StorageUnavailableError);
  expect(requests).toEqual(['PUT', 'PUT', 'PUT']);
});

it('an object that exists (412) but can never be read (403) is a broken deployment, not a vanished key', async () => {
  keyExists = true;
  busyPuts = 0;
  const store = createS3Store({ client, bucket: 'b', attempts: 3, retryDelayMs: 1 });
  const error = await store.putIfAbsent(key, record).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageRejectedError);
  expect(String(error)).toMatch(/exists \(412\) but refused GetObject with AccessDenied 3 times/);
  // Each 403 was taken for "maybe vanished" and the conditional put asked again.
  expect(requests).toEqual(['PUT', 'GET', 'PUT', 'GET', 'PUT', 'GET']);
});
