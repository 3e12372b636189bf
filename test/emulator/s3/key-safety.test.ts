import { readdir } from 'node:fs/promises';
import { GetObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { errorCode, listFiles, rawRequest, type S3Fixture, useS3 } from './support';

const Bucket = 'readings';
let s3: S3Fixture;
useS3(
  'keys',
  (started) => {
    s3 = started;
  },
  Bucket,
);
beforeEach(async () => {
  // One legitimate object, to show traversal cannot reach it by another name either.
  await s3.client.send(new PutObjectCommand({ Bucket, Key: 'inside/ok.txt', Body: 'ok' }));
});

/** Nothing beside the data directory, and inside it only the one legitimate object. */
async function expectNothingEscaped(): Promise<void> {
  expect(await readdir(s3.root)).toEqual(['data']);
  expect(await listFiles(s3.dataDir)).toEqual([
    '.meta/readings/inside/ok.txt',
    'readings/inside/ok.txt',
  ]);
}

const unsafeKeys = [
  '../escape.txt',
  '../../escape.txt',
  'inside/../../escape.txt',
  'inside/../ok.txt',
  '..',
  '/etc/escape',
  'a//b',
  'trailing/',
  './dot',
  'back\\..\\slash',
  '..\\escape',
  'nul\u0000byte',
  'line\nbreak',
];

test.each(unsafeKeys)('PutObject with key %j is refused with 400 InvalidArgument', async (Key) => {
  const error = await s3.client
    .send(new PutObjectCommand({ Bucket, Key, Body: 'evil' }))
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(S3ServiceException);
  expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(400);
  expect((error as S3ServiceException).name).toBe('InvalidArgument');
  expect((error as S3ServiceException).message).toMatch(/cannot be stored as a file/);
  await expectNothingEscaped();
});

test('GetObject with a traversal key is refused too (it cannot read other files)', async () => {
  const error = await s3.client
    .send(new GetObjectCommand({ Bucket, Key: 'x/../inside/ok.txt' }))
    .catch((e: unknown) => e);
  expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(400);
});

const rawPaths = [
  `/${Bucket}/../../escape.txt`,
  `/${Bucket}/%2e%2e/%2e%2e/escape.txt`,
  `/${Bucket}/..%2f..%2fescape.txt`,
  `/${Bucket}/a%5c..%5c..%5cescape.txt`,
  `/${Bucket}/%2fetc%2fescape`,
  `/${Bucket}/nul%00.txt`,
];

test.each(rawPaths)('raw PUT %s (unnormalised path) gets 400 and writes nothing', async (path) => {
  const response = await rawRequest(s3.endpoint.url, { method: 'PUT', path, body: 'evil' });
  expect(response.status).toBe(400);
  expect(errorCode(response.body)).toBe('InvalidArgument');
  expect(response.headers['x-amz-request-id']).toBeTruthy();
  await expectNothingEscaped();
});

test.each([
  '/../escape.txt',
  '/%2e%2e/escape.txt',
  '/.meta/readings/inside/ok.txt',
  '/.tmp/upload',
])(
  'paths that do not start with a valid bucket name (%s) are 400 InvalidBucketName',
  async (path) => {
    const put = await rawRequest(s3.endpoint.url, { method: 'PUT', path, body: 'evil' });
    expect(put.status).toBe(400);
    expect(errorCode(put.body)).toBe('InvalidBucketName');
    const get = await rawRequest(s3.endpoint.url, { method: 'GET', path });
    expect(get.status).toBe(400);
    await expectNothingEscaped();
  },
);

test('malformed percent-encoding is 400 InvalidURI', async () => {
  const response = await rawRequest(s3.endpoint.url, {
    method: 'GET',
    path: `/${Bucket}/bad%zzkey`,
  });
  expect(response.status).toBe(400);
  expect(errorCode(response.body)).toBe('InvalidURI');
});

test('a key longer than 1024 bytes is 400 KeyTooLongError', async () => {
  const error = await s3.client
    .send(new PutObjectCommand({ Bucket, Key: `long/${'k'.repeat(1100)}`, Body: 'x' }))
    .catch((e: unknown) => e);
  expect((error as S3ServiceException).name).toBe('KeyTooLongError');
  expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(400);
});

test('keys with spaces, unicode and S3-legal punctuation are stored under their own name', async () => {
  const Key = 'odd names/ünïcödé 📈/a+b=c&d (1).json';
  await s3.client.send(new PutObjectCommand({ Bucket, Key, Body: '{}' }));
  const got = await s3.client.send(new GetObjectCommand({ Bucket, Key }));
  expect(await got.Body?.transformToString()).toBe('{}');
  expect(await listFiles(s3.dataDir)).toContain(`readings/${Key}`);
});
