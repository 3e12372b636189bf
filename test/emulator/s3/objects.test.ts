import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { failure, patternBytes, rawRequest, type S3Fixture, useS3 } from './support';

const Bucket = 'readings';
let s3: S3Fixture;
useS3(
  'objects',
  (started) => {
    s3 = started;
  },
  Bucket,
);

async function getBytes(Key: string, Range?: string): Promise<Buffer> {
  const got = await s3.client.send(new GetObjectCommand({ Bucket, Key, Range }));
  return Buffer.from((await got.Body?.transformToByteArray()) ?? []);
}

test('PutObject stores exactly the bytes as <dataDir>/<bucket>/<key>, GetObject returns them with metadata', async () => {
  const Key = 'events/dt=2026-11-25/hour=01/3f1e.json';
  const Body = '{"temperature":21.5}';
  const put = await s3.client.send(
    new PutObjectCommand({
      Bucket,
      Key,
      Body,
      ContentType: 'application/json',
      CacheControl: 'no-cache',
      Metadata: { source: 'sensor-7', 'batch-id': '42' },
    }),
  );
  expect(put.$metadata.httpStatusCode).toBe(200);
  expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  expect(put.ChecksumCRC32).toBeTruthy(); // the SDK sent CRC32 by default; S3 echoes it

  expect(await readFile(join(s3.dataDir, Bucket, ...Key.split('/')), 'utf8')).toBe(Body);

  const got = await s3.client.send(new GetObjectCommand({ Bucket, Key }));
  expect(await got.Body?.transformToString()).toBe(Body);
  expect(got.ContentType).toBe('application/json');
  expect(got.CacheControl).toBe('no-cache');
  expect(got.ContentLength).toBe(Buffer.byteLength(Body));
  expect(got.ETag).toBe(put.ETag);
  expect(got.Metadata).toEqual({ source: 'sensor-7', 'batch-id': '42' });
  expect(got.LastModified).toBeInstanceOf(Date);
  // Validated by the SDK against the body (checksum mode is on by default).
  expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
});

test('the ETag is the MD5 of the content, as S3 gives for single-part objects', async () => {
  const put = await s3.client.send(
    new PutObjectCommand({ Bucket, Key: 'hello.txt', Body: 'hello' }),
  );
  expect(put.ETag).toBe('"5d41402abc4b2a76b9719d911017c592"');
});

test('HeadObject returns size, type, ETag and user metadata without a body; 404 NotFound when missing', async () => {
  await s3.client.send(
    new PutObjectCommand({
      Bucket,
      Key: 'h.bin',
      Body: Buffer.alloc(123, 7),
      ContentType: 'application/x-test',
      Metadata: { a: 'b' },
    }),
  );
  const head = await s3.client.send(new HeadObjectCommand({ Bucket, Key: 'h.bin' }));
  expect(head.ContentLength).toBe(123);
  expect(head.ContentType).toBe('application/x-test');
  expect(head.Metadata).toEqual({ a: 'b' });
  expect(head.ETag).toMatch(/^"[0-9a-f]{32}"$/);

  const error = await failure(s3.client.send(new HeadObjectCommand({ Bucket, Key: 'absent.bin' })));
  expect(error.name).toBe('NotFound');
  expect(error.$metadata.httpStatusCode).toBe(404);
});

test('an object stored without Content-Type reads back as binary/octet-stream', async () => {
  // The SDK always sends a Content-Type, so this upload is raw HTTP.
  const put = await rawRequest(s3.endpoint.url, {
    method: 'PUT',
    path: `/${Bucket}/untyped`,
    body: 'abc',
  });
  expect(put.status).toBe(200);
  const head = await s3.client.send(new HeadObjectCommand({ Bucket, Key: 'untyped' }));
  expect(head.ContentType).toBe('binary/octet-stream');
});

test('a plain PutObject overwrites the previous version', async () => {
  await s3.client.send(
    new PutObjectCommand({
      Bucket,
      Key: 'v.txt',
      Body: 'first version',
      ContentType: 'text/plain',
    }),
  );
  await s3.client.send(
    new PutObjectCommand({ Bucket, Key: 'v.txt', Body: 'second', ContentType: 'text/csv' }),
  );
  const got = await s3.client.send(new GetObjectCommand({ Bucket, Key: 'v.txt' }));
  expect(await got.Body?.transformToString()).toBe('second');
  expect(got.ContentType).toBe('text/csv');
});

test('GetObject with Range returns 206 and the bytes asked for (first, middle, suffix)', async () => {
  const content = patternBytes(1000, 3);
  await s3.client.send(new PutObjectCommand({ Bucket, Key: 'ranged.bin', Body: content }));
  const middle = await s3.client.send(
    new GetObjectCommand({ Bucket, Key: 'ranged.bin', Range: 'bytes=100-199' }),
  );
  expect(middle.$metadata.httpStatusCode).toBe(206);
  expect(middle.ContentRange).toBe('bytes 100-199/1000');
  expect(middle.ChecksumCRC32).toBeUndefined(); // a whole-object checksum does not cover a part
  expect(Buffer.from((await middle.Body?.transformToByteArray()) ?? [])).toEqual(
    content.subarray(100, 200),
  );
  expect(await getBytes('ranged.bin', 'bytes=990-')).toEqual(content.subarray(990));
  expect(await getBytes('ranged.bin', 'bytes=-5')).toEqual(content.subarray(995));
  expect(await getBytes('ranged.bin', 'bytes=900-5000')).toEqual(content.subarray(900));

  const error = await failure(
    s3.client.send(new GetObjectCommand({ Bucket, Key: 'ranged.bin', Range: 'bytes=1000-' })),
  );
  expect(error.name).toBe('InvalidRange');
  expect(error.$metadata.httpStatusCode).toBe(416);
});

test('a 5 MB buffer upload is stored and read back byte-exact', async () => {
  const content = patternBytes(5 * 1024 * 1024 + 17, 11);
  await s3.client.send(new PutObjectCommand({ Bucket, Key: 'large/blob.bin', Body: content }));
  expect((await stat(join(s3.dataDir, Bucket, 'large', 'blob.bin'))).size).toBe(content.length);
  expect((await readFile(join(s3.dataDir, Bucket, 'large', 'blob.bin'))).equals(content)).toBe(
    true,
  );
  expect((await getBytes('large/blob.bin')).equals(content)).toBe(true);
});

test('an empty object can be stored and read', async () => {
  await s3.client.send(new PutObjectCommand({ Bucket, Key: 'empty', Body: Buffer.alloc(0) }));
  expect(await getBytes('empty')).toEqual(Buffer.alloc(0));
  expect((await stat(join(s3.dataDir, Bucket, 'empty'))).size).toBe(0);
});

test('DeleteObject removes file and metadata, answers 204, and 204 again for a missing key', async () => {
  await s3.client.send(new PutObjectCommand({ Bucket, Key: 'dir/sub/gone.txt', Body: 'x' }));
  const deleted = await s3.client.send(
    new DeleteObjectCommand({ Bucket, Key: 'dir/sub/gone.txt' }),
  );
  expect(deleted.$metadata.httpStatusCode).toBe(204);
  await expect(stat(join(s3.dataDir, Bucket, 'dir'))).rejects.toMatchObject({ code: 'ENOENT' }); // empty folders pruned
  await expect(stat(join(s3.dataDir, '.meta', Bucket, 'dir'))).rejects.toMatchObject({
    code: 'ENOENT',
  });
  const error = await failure(
    s3.client.send(new GetObjectCommand({ Bucket, Key: 'dir/sub/gone.txt' })),
  );
  expect(error.name).toBe('NoSuchKey');
  const again = await s3.client.send(new DeleteObjectCommand({ Bucket, Key: 'dir/sub/gone.txt' }));
  expect(again.$metadata.httpStatusCode).toBe(204);
});

test('a key that is a folder of other keys (or the reverse) gets 409 KeyConflict, and works once freed', async () => {
  await s3.client.send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'file a' }));
  const below = await failure(
    s3.client.send(new PutObjectCommand({ Bucket, Key: 'a/b', Body: 'x' })),
  );
  expect(below.name).toBe('KeyConflict');
  expect(below.$metadata.httpStatusCode).toBe(409);
  expect(below.message).toMatch(/both an object and a folder/);

  await s3.client.send(new PutObjectCommand({ Bucket, Key: 'x/y', Body: 'file x/y' }));
  const above = await failure(
    s3.client.send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'x' })),
  );
  expect(above.name).toBe('KeyConflict');
  const conditional = await failure(
    s3.client.send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'x', IfNoneMatch: '*' })),
  );
  expect(conditional.name).toBe('KeyConflict'); // not 412: key "x" itself does not exist
  const missing = await failure(s3.client.send(new GetObjectCommand({ Bucket, Key: 'x' })));
  expect(missing.name).toBe('NoSuchKey');

  await s3.client.send(new DeleteObjectCommand({ Bucket, Key: 'x/y' }));
  await s3.client.send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'now a file' }));
  expect((await getBytes('x')).toString()).toBe('now a file');
  expect((await getBytes('a')).toString()).toBe('file a');
});

test('a file replaced outside the emulator is served with metadata derived from the file', async () => {
  await s3.client.send(
    new PutObjectCommand({
      Bucket,
      Key: 'edited.txt',
      Body: 'original',
      ContentType: 'text/plain',
    }),
  );
  await writeFile(join(s3.dataDir, Bucket, 'edited.txt.tmp'), 'edited by hand');
  await rename(join(s3.dataDir, Bucket, 'edited.txt.tmp'), join(s3.dataDir, Bucket, 'edited.txt'));
  const got = await s3.client.send(new GetObjectCommand({ Bucket, Key: 'edited.txt' }));
  expect(await got.Body?.transformToString()).toBe('edited by hand');
  expect(got.ContentLength).toBe(14);
  expect(got.ChecksumCRC32).toBeUndefined(); // the stored checksum no longer applies
});
