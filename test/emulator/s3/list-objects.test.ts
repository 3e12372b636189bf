import {
  CreateBucketCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { rawRequest, type S3Fixture, startS3 } from './support';

const Bucket = 'readings';
let s3: S3Fixture;
beforeAll(async () => {
  s3 = await startS3('list');
  await s3.client.send(new CreateBucketCommand({ Bucket }));
  const keys = [
    ...Array.from({ length: 25 }, (_, i) => `flat/k${String(i).padStart(2, '0')}.json`),
    'events/dt=2026-11-24/hour=23/a.json',
    'events/dt=2026-11-25/hour=00/b.json',
    'events/dt=2026-11-25/hour=00/c.json',
    'events/dt=2026-11-25/hour=01/d.json',
    'events/dt=2026-11-26/hour=00/e.json',
    'events/readme.txt',
    // Order traps: '-' (0x2d) < '/' (0x2f) < '0' (0x30), so the "a-b" file sorts before "a/..." keys.
    'order/a-b',
    'order/a/x',
    'order/a0',
    'order/B',
    'order/é',
    'spaced/a b&c.txt',
  ];
  await Promise.all(
    keys.map((Key) => s3.client.send(new PutObjectCommand({ Bucket, Key, Body: Key }))),
  );
});
afterAll(async () => {
  await s3.close();
});

async function allPages(input: { Prefix?: string; Delimiter?: string; MaxKeys?: number }) {
  const pages: ListObjectsV2CommandOutput[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.client.send(
      new ListObjectsV2Command({ Bucket, ...input, ContinuationToken }),
    );
    pages.push(page);
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken !== undefined);
  return pages;
}

test('25 keys with MaxKeys 10 come in pages of 10, 10 and 5, linked by continuation tokens', async () => {
  const pages = await allPages({ Prefix: 'flat/', MaxKeys: 10 });
  expect(pages.map((page) => page.KeyCount)).toEqual([10, 10, 5]);
  expect(pages.map((page) => page.IsTruncated)).toEqual([true, true, false]);
  expect(pages[1]?.ContinuationToken).toBe(pages[0]?.NextContinuationToken);
  expect(pages[0]?.MaxKeys).toBe(10);
  const keys = pages.flatMap((page) => page.Contents?.map((object) => object.Key) ?? []);
  expect(keys).toEqual(
    Array.from({ length: 25 }, (_, i) => `flat/k${String(i).padStart(2, '0')}.json`),
  );
  const first = pages[0]?.Contents?.[0];
  expect(first?.Size).toBe('flat/k00.json'.length);
  expect(first?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  expect(first?.LastModified).toBeInstanceOf(Date);
  expect(first?.StorageClass).toBe('STANDARD');
});

test('keys are listed in UTF-8 byte order, as S3 does', async () => {
  const [page] = await allPages({ Prefix: 'order/' });
  expect(page?.Contents?.map((object) => object.Key)).toEqual([
    'order/B',
    'order/a-b',
    'order/a/x',
    'order/a0',
    'order/é',
  ]);
});

test('Delimiter rolls keys up into CommonPrefixes, which page like keys', async () => {
  const [whole] = await allPages({ Prefix: 'events/', Delimiter: '/' });
  expect(whole?.CommonPrefixes?.map((prefix) => prefix.Prefix)).toEqual([
    'events/dt=2026-11-24/',
    'events/dt=2026-11-25/',
    'events/dt=2026-11-26/',
  ]);
  expect(whole?.Contents?.map((object) => object.Key)).toEqual(['events/readme.txt']);
  expect(whole?.KeyCount).toBe(4);
  expect(whole?.Delimiter).toBe('/');
  expect(whole?.Prefix).toBe('events/');

  const pages = await allPages({ Prefix: 'events/', Delimiter: '/', MaxKeys: 1 });
  expect(
    pages.map((page) => [
      ...(page.CommonPrefixes ?? []).map((p) => p.Prefix),
      ...(page.Contents ?? []).map((o) => o.Key),
    ]),
  ).toEqual([
    ['events/dt=2026-11-24/'],
    ['events/dt=2026-11-25/'],
    ['events/dt=2026-11-26/'],
    ['events/readme.txt'],
  ]);

  const [hours] = await allPages({ Prefix: 'events/dt=2026-11-25/', Delimiter: '/' });
  expect(hours?.CommonPrefixes?.map((prefix) => prefix.Prefix)).toEqual([
    'events/dt=2026-11-25/hour=00/',
    'events/dt=2026-11-25/hour=01/',
  ]);
});

test('a delimiter other than "/" works too', async () => {
  const [page] = await allPages({ Prefix: 'events/dt=2026-11-2', Delimiter: '-' });
  expect(page?.CommonPrefixes).toBeUndefined();
  const [byEquals] = await allPages({ Prefix: 'events/', Delimiter: '=' });
  expect(byEquals?.CommonPrefixes?.map((prefix) => prefix.Prefix)).toEqual(['events/dt=']);
  expect(byEquals?.Contents?.map((object) => object.Key)).toEqual(['events/readme.txt']);
});

test('StartAfter starts after the given key, even one that does not exist', async () => {
  const page = await s3.client.send(
    new ListObjectsV2Command({ Bucket, Prefix: 'flat/', StartAfter: 'flat/k21.json' }),
  );
  expect(page.Contents?.map((object) => object.Key)).toEqual([
    'flat/k22.json',
    'flat/k23.json',
    'flat/k24.json',
  ]);
  expect(page.StartAfter).toBe('flat/k21.json');
  const between = await s3.client.send(
    new ListObjectsV2Command({ Bucket, Prefix: 'flat/', StartAfter: 'flat/k22.zzz' }),
  );
  expect(between.Contents?.[0]?.Key).toBe('flat/k23.json');
});

test('an empty prefix match, MaxKeys 0 and a missing bucket', async () => {
  const none = await s3.client.send(new ListObjectsV2Command({ Bucket, Prefix: 'nothing/' }));
  expect(none.KeyCount).toBe(0);
  expect(none.IsTruncated).toBe(false);
  expect(none.Contents).toBeUndefined();
  const zero = await s3.client.send(new ListObjectsV2Command({ Bucket, MaxKeys: 0 }));
  expect(zero.KeyCount).toBe(0);
  const error = await s3.client
    .send(new ListObjectsV2Command({ Bucket: 'missing-bucket' }))
    .catch((e: unknown) => e);
  expect((error as S3ServiceException).name).toBe('NoSuchBucket');
  expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(404);
});

test('a forged continuation token and a negative max-keys are 400 InvalidArgument', async () => {
  const forged = await s3.client
    .send(new ListObjectsV2Command({ Bucket, ContinuationToken: 'not-a-token' }))
    .catch((e: unknown) => e);
  expect(forged).toBeInstanceOf(S3ServiceException);
  expect((forged as S3ServiceException).name).toBe('InvalidArgument');
  const negative = await s3.client
    .send(new ListObjectsV2Command({ Bucket, MaxKeys: -1 }))
    .catch((e: unknown) => e);
  expect((negative as S3ServiceException).$metadata.httpStatusCode).toBe(400);
});

test('the older ListObjects pages with Marker/NextMarker', async () => {
  const first = await s3.client.send(
    new ListObjectsCommand({ Bucket, Prefix: 'flat/', MaxKeys: 20 }),
  );
  expect(first.Contents).toHaveLength(20);
  expect(first.IsTruncated).toBe(true);
  const second = await s3.client.send(
    new ListObjectsCommand({ Bucket, Prefix: 'flat/', Marker: first.NextMarker }),
  );
  expect(second.Contents?.map((object) => object.Key)).toEqual([
    'flat/k20.json',
    'flat/k21.json',
    'flat/k22.json',
    'flat/k23.json',
    'flat/k24.json',
  ]);
  expect(second.IsTruncated).toBe(false);
});

test('encoding-type=url percent-encodes keys and prefixes in the answer (slashes kept)', async () => {
  const response = await rawRequest(s3.endpoint.url, {
    method: 'GET',
    path: `/${Bucket}?list-type=2&prefix=spaced%2F&encoding-type=url`,
  });
  expect(response.status).toBe(200);
  expect(response.body).toContain('<Key>spaced/a%20b%26c.txt</Key>');
  expect(response.body).toContain('<EncodingType>url</EncodingType>');
  const plain = await s3.client.send(new ListObjectsV2Command({ Bucket, Prefix: 'spaced/' }));
  expect(plain.Contents?.map((object) => object.Key)).toEqual(['spaced/a b&c.txt']);
});
