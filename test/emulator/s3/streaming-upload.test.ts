import { createReadStream } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  type ChecksumAlgorithm,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { errorCode, listFiles, patternBytes, rawRequest, type S3Fixture, useS3 } from './support';

const Bucket = 'readings';
let s3: S3Fixture;
useS3(
  'stream',
  (started) => {
    s3 = started;
  },
  Bucket,
);

/** A Readable that yields the content in uneven pieces, like a network or pipe source. */
function piecewise(content: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (
    let offset = 0, size = 1;
    offset < content.length;
    offset += size, size = ((size * 7 + 3) % 70_000) + 1
  ) {
    pieces.push(content.subarray(offset, offset + size));
  }
  return Readable.from(pieces);
}

async function getObject(Key: string) {
  const got = await s3.client.send(new GetObjectCommand({ Bucket, Key }));
  return { got, bytes: Buffer.from((await got.Body?.transformToByteArray()) ?? []) };
}

function crc32Base64(content: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(content));
  return out.toString('base64');
}

/** aws-chunked framing as SDK v3 writes it, with an optional checksum trailer. */
function frame(content: Buffer, chunkSize: number, trailer?: string, signed = false): Buffer {
  const signature = signed ? `;chunk-signature=${'ab'.repeat(32)}` : '';
  const parts: Buffer[] = [];
  for (let offset = 0; offset < content.length; offset += chunkSize) {
    const chunk = content.subarray(offset, offset + chunkSize);
    parts.push(
      Buffer.from(`${chunk.length.toString(16)}${signature}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`0${signature}\r\n`));
  if (trailer !== undefined) parts.push(Buffer.from(`${trailer}\r\n`));
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

test('a Readable body goes out aws-chunked with a CRC32 trailer and is stored byte-exact', async () => {
  const sent: Record<string, string>[] = [];
  s3.client.middlewareStack.add(
    (next) => async (args) => {
      sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'captureHeaders' },
  );
  const content = patternBytes(300_000, 5);
  // The SDK needs ContentLength for a stream (it fails client-side without one); it still
  // frames the stream as aws-chunked because the body is a stream.
  const put = await s3.client.send(
    new PutObjectCommand({
      Bucket,
      Key: 'streams/one.bin',
      Body: piecewise(content),
      ContentLength: content.length,
    }),
  );
  const headers = sent.at(-1) ?? {};
  expect(headers['content-encoding']).toContain('aws-chunked');
  expect(headers['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
  expect(headers['x-amz-trailer']).toBe('x-amz-checksum-crc32');
  expect(put.ChecksumCRC32).toBe(crc32Base64(content));

  expect((await readFile(join(s3.dataDir, Bucket, 'streams', 'one.bin'))).equals(content)).toBe(
    true,
  );
  const { got, bytes } = await getObject('streams/one.bin');
  expect(bytes.equals(content)).toBe(true);
  expect(got.ChecksumCRC32).toBe(crc32Base64(content));
  expect(got.ContentEncoding).toBeUndefined(); // aws-chunked was the upload's framing only
});

test('a file stream uploads byte-exact', async () => {
  const source = join(s3.root, 'source.bin');
  const content = patternBytes(1_234_567, 9);
  await writeFile(source, content);
  await s3.client.send(
    new PutObjectCommand({ Bucket, Key: 'from-file.bin', Body: createReadStream(source) }),
  );
  expect((await readFile(join(s3.dataDir, Bucket, 'from-file.bin'))).equals(content)).toBe(true);
  expect((await getObject('from-file.bin')).bytes.equals(content)).toBe(true);
});

test.each<
  [ChecksumAlgorithm, 'ChecksumCRC32C' | 'ChecksumCRC64NVME' | 'ChecksumSHA1' | 'ChecksumSHA256']
>([
  ['CRC32C', 'ChecksumCRC32C'],
  ['CRC64NVME', 'ChecksumCRC64NVME'],
  ['SHA1', 'ChecksumSHA1'],
  ['SHA256', 'ChecksumSHA256'],
])(
  'the %s trailer of a stream is verified, stored and returned for the SDK to validate',
  async (algorithm, field) => {
    const content = patternBytes(70_001, 13);
    const Key = `algo/${algorithm}.bin`;
    const put = await s3.client.send(
      new PutObjectCommand({
        Bucket,
        Key,
        Body: piecewise(content),
        ContentLength: content.length,
        ChecksumAlgorithm: algorithm,
      }),
    );
    expect(put[field]).toBeTruthy();
    const { got, bytes } = await getObject(Key);
    expect(bytes.equals(content)).toBe(true);
    expect(got[field]).toBe(put[field]);
    // A buffer body sends the same checksum as a header instead of a trailer.
    const again = await s3.client.send(
      new PutObjectCommand({
        Bucket,
        Key: `${Key}.buf`,
        Body: content,
        ChecksumAlgorithm: algorithm,
      }),
    );
    expect(again[field]).toBe(put[field]);
  },
);

test('an aws-chunked body of unknown length (no x-amz-decoded-content-length) is decoded and stored', async () => {
  const content = patternBytes(200_000, 21);
  const response = await rawRequest(s3.endpoint.url, {
    method: 'PUT',
    path: `/${Bucket}/raw/unknown-length.bin`,
    headers: {
      'transfer-encoding': 'chunked',
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    },
    body: frame(content, 65_536, `x-amz-checksum-crc32:${crc32Base64(content)}`),
  });
  expect(response.status).toBe(200);
  expect(response.headers['x-amz-checksum-crc32']).toBe(crc32Base64(content));
  expect(
    (await readFile(join(s3.dataDir, Bucket, 'raw', 'unknown-length.bin'))).equals(content),
  ).toBe(true);
});

test('the signed-chunk variant (chunk-signature extensions) is decoded; signatures are not checked', async () => {
  const content = patternBytes(50_000, 22);
  const response = await rawRequest(s3.endpoint.url, {
    method: 'PUT',
    path: `/${Bucket}/raw/signed.bin`,
    headers: {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'x-amz-decoded-content-length': String(content.length),
    },
    body: frame(content, 8192, undefined, true),
  });
  expect(response.status).toBe(200);
  expect((await getObject('raw/signed.bin')).bytes.equals(content)).toBe(true);
});

test('a wrong trailing checksum is refused with 400 BadDigest and nothing is stored', async () => {
  const content = patternBytes(10_000, 23);
  const response = await rawRequest(s3.endpoint.url, {
    method: 'PUT',
    path: `/${Bucket}/raw/corrupt.bin`,
    headers: {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-encoding': 'aws-chunked',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-decoded-content-length': String(content.length),
    },
    body: frame(content, 4096, `x-amz-checksum-crc32:${crc32Base64(Buffer.from('other'))}`),
  });
  expect(response.status).toBe(400);
  expect(errorCode(response.body)).toBe('BadDigest');
  expect(await listFiles(s3.dataDir)).toEqual([]);
});

test('a decoded length other than x-amz-decoded-content-length is 400 IncompleteBody', async () => {
  const content = patternBytes(1000, 24);
  const response = await rawRequest(s3.endpoint.url, {
    method: 'PUT',
    path: `/${Bucket}/raw/short.bin`,
    headers: {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '1001',
    },
    body: frame(content, 300),
  });
  expect(response.status).toBe(400);
  expect(errorCode(response.body)).toBe('IncompleteBody');
  expect(await listFiles(s3.dataDir)).toEqual([]);
});

test('broken framing is 400 InvalidRequest, and the server keeps serving', async () => {
  const response = await rawRequest(s3.endpoint.url, {
    method: 'PUT',
    path: `/${Bucket}/raw/broken.bin`,
    headers: {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-encoding': 'aws-chunked',
    },
    body: 'zz\r\nhello\r\n0\r\n\r\n',
  });
  expect(response.status).toBe(400);
  expect(errorCode(response.body)).toBe('InvalidRequest');
  await s3.client.send(new PutObjectCommand({ Bucket, Key: 'after.txt', Body: 'fine' }));
  expect((await getObject('after.txt')).bytes.toString()).toBe('fine');
});

/** Resolves once `check` holds, polling the filesystem (fails the test after 10 s). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition never held');
}

test('a client that disconnects mid-upload leaves no object and no temp file', async () => {
  const tempDir = join(s3.dataDir, '.tmp');
  const { hostname, port } = new URL(s3.endpoint.url);
  const req = request({
    hostname,
    port,
    method: 'PUT',
    path: `/${Bucket}/half/written.bin`,
    headers: { 'content-length': String(10 * 1024 * 1024) },
    agent: false,
  });
  req.on('error', () => {}); // the abort below is the point
  req.write(patternBytes(256 * 1024, 31));
  await eventually(async () => (await readdir(tempDir)).length > 0); // the upload is on disk
  req.destroy();
  await eventually(async () => (await readdir(tempDir)).length === 0);

  const error = await s3.client
    .send(new HeadObjectCommand({ Bucket, Key: 'half/written.bin' }))
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(S3ServiceException);
  expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(404);
  expect(await listFiles(s3.dataDir)).toEqual([]);
});
