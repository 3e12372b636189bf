/**
 * S3 conformance: the calls the kit (handler, verify) and the AWS CLI make, checked the same way
 * against the kit's endpoint or any other (see conformance-target.ts; `npm run test:s3-conformance`
 * with S3_CONFORMANCE_ENDPOINT set). Only S3's documented behaviour is asserted, never the kit's.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { type ConformanceTarget, openConformanceTarget } from './conformance-target';
import { failure } from './support';

jest.setTimeout(60_000);

let s3: ConformanceTarget;
beforeAll(async () => {
  s3 = await openConformanceTarget();
  console.log(`S3 conformance against ${s3.name}, bucket ${s3.bucket}, prefix ${s3.prefix}`);
});
afterAll(() => s3?.close());

const key = (name: string): string => `${s3.prefix}${name}`;
const crc32Base64 = (data: Buffer): string => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
};

describe('conditional PutObject (If-None-Match: *)', () => {
  it('creates a missing key, then answers 412 PreconditionFailed and keeps the first object', async () => {
    const Key = key('conditional/once.json');
    const first = await s3.client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key, Body: '{"v":1}', IfNoneMatch: '*' }),
    );
    expect(first.ETag).toBe(`"${createHash('md5').update('{"v":1}').digest('hex')}"`);
    const second = await failure(
      s3.client.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key, Body: '{"v":2}', IfNoneMatch: '*' }),
      ),
    );
    expect(second.$metadata.httpStatusCode).toBe(412);
    expect(second.name).toBe('PreconditionFailed');
    const got = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key }));
    expect(await got.Body?.transformToString()).toBe('{"v":1}');
  });

  it('of 10 concurrent conditional puts to one key exactly one succeeds', async () => {
    const Key = key('conditional/race.json');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        s3.client.send(
          new PutObjectCommand({
            Bucket: s3.bucket,
            Key,
            Body: `{"writer":${i}}`,
            IfNoneMatch: '*',
          }),
        ),
      ),
    );
    const winners = results.flatMap((result, i) => (result.status === 'fulfilled' ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        // 412, or 409 ConditionalRequestConflict while the winner's write is in progress (AWS).
        expect([409, 412]).toContain(
          (result.reason as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode,
        );
      }
    }
    const got = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key }));
    expect(await got.Body?.transformToString()).toBe(`{"writer":${winners[0]}}`);
  });

  it('an unconditional put replaces the object', async () => {
    const Key = key('conditional/replaced.txt');
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: 'one' }));
    await s3.client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key, Body: 'two', ContentType: 'text/plain' }),
    );
    const got = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key }));
    expect(await got.Body?.transformToString()).toBe('two');
    expect(got.ContentType).toBe('text/plain');
  });
});

describe('GetObject and HeadObject', () => {
  const body = Buffer.from('{"sensor":"a","temperature":21.5}');

  it.each(['CRC32', 'SHA256'] as const)(
    'return the %s checksum given at upload, with content type, metadata, length and ETag',
    async (algorithm) => {
      const Key = key(`checksums/${algorithm}.json`);
      const put = await s3.client.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key,
          Body: body,
          ContentType: 'application/json',
          Metadata: { origin: 'conformance' },
          ChecksumAlgorithm: algorithm,
        }),
      );
      const expected =
        algorithm === 'CRC32'
          ? crc32Base64(body)
          : createHash('sha256').update(body).digest('base64');
      const field = algorithm === 'CRC32' ? 'ChecksumCRC32' : 'ChecksumSHA256';
      expect(put[field]).toBe(expected);

      const head = await s3.client.send(
        new HeadObjectCommand({ Bucket: s3.bucket, Key, ChecksumMode: 'ENABLED' }),
      );
      expect(head).toMatchObject({
        ContentLength: body.length,
        ContentType: 'application/json',
        Metadata: { origin: 'conformance' },
        ETag: put.ETag,
        [field]: expected,
      });
      const got = await s3.client.send(
        new GetObjectCommand({ Bucket: s3.bucket, Key, ChecksumMode: 'ENABLED' }),
      );
      expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(body)).toBe(true);
      expect(got).toMatchObject({
        ContentType: 'application/json',
        ETag: put.ETag,
        [field]: expected,
      });
    },
  );

  it('serve a byte range as 206 with Content-Range', async () => {
    const Key = key('range.txt');
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: '0123456789' }));
    const got = await s3.client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key, Range: 'bytes=2-5' }),
    );
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.ContentRange).toBe('bytes 2-5/10');
    expect(await got.Body?.transformToString()).toBe('2345');
  });
});

describe('ListObjectsV2', () => {
  // UTF-8 byte order: "-" (0x2d) < "." < "/" (0x2f) < "0" < "A" < "a" < "~" < "é" (0xc3 0xa9).
  // No key is also a "folder" of others ("a" beside "a/b"): the kit's store keeps keys as files.
  const names = ['a-b', 'a.txt', 'a/b', 'a/c/d', '0', 'B', '~', 'é', 'a/b0', 'z/1', 'z/2'];
  const sorted = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  let listPrefix: string;
  beforeAll(async () => {
    listPrefix = key('list/');
    for (const name of names) {
      await s3.client.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: `${listPrefix}${name}`, Body: name }),
      );
    }
  });

  const strip = (keys: (string | undefined)[] | undefined): string[] =>
    (keys ?? []).map((k) => (k ?? '').slice(listPrefix.length));

  it('lists keys in UTF-8 byte order, with sizes', async () => {
    const page = await s3.client.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: listPrefix }),
    );
    expect(strip(page.Contents?.map((object) => object.Key))).toEqual(sorted);
    expect(page.KeyCount).toBe(names.length);
    expect(page.IsTruncated).toBe(false);
    expect(page.Contents?.find((object) => object.Key === `${listPrefix}a/c/d`)?.Size).toBe(5);
  });

  it('pages with MaxKeys and continuation tokens, each key exactly once, in order', async () => {
    const seen: string[] = [];
    let ContinuationToken: string | undefined;
    let pages = 0;
    do {
      const page: ListObjectsV2CommandOutput = await s3.client.send(
        new ListObjectsV2Command({
          Bucket: s3.bucket,
          Prefix: listPrefix,
          MaxKeys: 3,
          ContinuationToken,
        }),
      );
      pages += 1;
      expect(page.KeyCount).toBeLessThanOrEqual(3);
      seen.push(...strip(page.Contents?.map((object) => object.Key)));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated) expect(page.NextContinuationToken).toBeTruthy();
    } while (ContinuationToken !== undefined);
    expect(seen).toEqual(sorted);
    expect(pages).toBe(Math.ceil(names.length / 3));
  });

  it('rolls keys up into CommonPrefixes with a delimiter, and honours StartAfter', async () => {
    const page = await s3.client.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: listPrefix, Delimiter: '/' }),
    );
    expect(strip(page.Contents?.map((object) => object.Key))).toEqual(
      sorted.filter((name) => !name.includes('/')),
    );
    expect(strip(page.CommonPrefixes?.map((p) => p.Prefix))).toEqual(['a/', 'z/']);
    const after = await s3.client.send(
      new ListObjectsV2Command({
        Bucket: s3.bucket,
        Prefix: listPrefix,
        StartAfter: `${listPrefix}a/b0`,
      }),
    );
    expect(strip(after.Contents?.map((object) => object.Key))).toEqual(
      sorted.slice(sorted.indexOf('a/b0') + 1),
    );
  });

  it('answers an empty page for a prefix with no keys', async () => {
    const page = await s3.client.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: key('nothing-here/') }),
    );
    expect(page.KeyCount).toBe(0);
    expect(page.Contents ?? []).toEqual([]);
  });
});

describe('errors', () => {
  it('GetObject of a missing key: 404 NoSuchKey; HeadObject: 404', async () => {
    const get = await failure(
      s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key('missing') })),
    );
    expect(get.$metadata.httpStatusCode).toBe(404);
    expect(get.name).toBe('NoSuchKey');
    const head = await failure(
      s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key('missing') })),
    );
    expect(head.$metadata.httpStatusCode).toBe(404);
  });

  it('a missing bucket: 404 NoSuchBucket', async () => {
    const Bucket = `push-pipeline-missing-${Date.now()}`;
    const error = await failure(s3.client.send(new ListObjectsV2Command({ Bucket })));
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.name).toBe('NoSuchBucket');
  });

  it('a range past the end: 416 InvalidRange', async () => {
    const Key = key('short.txt');
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: 'abc' }));
    const error = await failure(
      s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key, Range: 'bytes=10-20' })),
    );
    expect(error.$metadata.httpStatusCode).toBe(416);
    expect(error.name).toBe('InvalidRange');
  });

  it('a wrong checksum: 400, and nothing is stored', async () => {
    const Key = key('bad-checksum.txt');
    const error = await failure(
      s3.client.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key,
          Body: 'payload',
          ChecksumCRC32: crc32Base64(Buffer.from('other payload')),
        }),
      ),
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.name).toMatch(/BadDigest|InvalidRequest|XAmzContentChecksumMismatch/);
    const head = await failure(s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key })));
    expect(head.$metadata.httpStatusCode).toBe(404);
  });

  it('DeleteObject of a missing key succeeds (204)', async () => {
    const deleted = await s3.client.send(
      new DeleteObjectCommand({ Bucket: s3.bucket, Key: key('never-there') }),
    );
    expect(deleted.$metadata.httpStatusCode).toBe(204);
  });
});
