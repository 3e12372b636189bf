import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { DataLayout } from '../../../emulator/s3/data-layout';
import { S3Error } from '../../../emulator/s3/errors';
import { keySegments } from '../../../emulator/s3/keys';
import { ObjectStore } from '../../../emulator/s3/object-store';
import { makeTempDir, type S3Fixture, useS3 } from './support';

const Bucket = 'readings';

describe('through the SDK', () => {
  let s3: S3Fixture;
  useS3(
    'conditional',
    (started) => {
      s3 = started;
    },
    Bucket,
  );

  test('If-None-Match: * creates once; a second put gets 412 PreconditionFailed and changes nothing', async () => {
    const Key = 'events/dt=2026-11-25/hour=02/id-1.json';
    const first = await s3.client.send(
      new PutObjectCommand({ Bucket, Key, Body: '{"v":1}', IfNoneMatch: '*' }),
    );
    expect(first.$metadata.httpStatusCode).toBe(200);
    const error = await s3.client
      .send(
        new PutObjectCommand({
          Bucket,
          Key,
          Body: '{"v":2}',
          IfNoneMatch: '*',
          ContentType: 'text/plain',
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect((error as S3ServiceException).name).toBe('PreconditionFailed');
    expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(412);
    const got = await s3.client.send(new GetObjectCommand({ Bucket, Key }));
    expect(await got.Body?.transformToString()).toBe('{"v":1}');
    expect(got.ETag).toBe(first.ETag);
  });

  test('of 20 concurrent conditional puts to one key exactly one wins, and its content is stored', async () => {
    const Key = 'race/one-key.json';
    const bodies = Array.from(
      { length: 20 },
      (_, i) => `{"writer":${i},"pad":"${'x'.repeat(i * 100)}"}`,
    );
    const results = await Promise.allSettled(
      bodies.map((Body) =>
        s3.client.send(new PutObjectCommand({ Bucket, Key, Body, IfNoneMatch: '*' })),
      ),
    );
    const winners = results.flatMap((result, i) => (result.status === 'fulfilled' ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(S3ServiceException);
        expect((result.reason as S3ServiceException).$metadata.httpStatusCode).toBe(412);
      }
    }
    const winner = bodies[winners[0] ?? -1];
    const got = await s3.client.send(new GetObjectCommand({ Bucket, Key }));
    expect(await got.Body?.transformToString()).toBe(winner);
    expect(await readFile(join(s3.dataDir, Bucket, 'race', 'one-key.json'), 'utf8')).toBe(winner);
    expect(await readdir(join(s3.dataDir, '.tmp'))).toEqual([]);
  });
});

describe('ObjectStore.publish directly (no early existence check)', () => {
  let dataDir: string;
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('20 exclusive publishes racing on one key: one succeeds, 19 get PreconditionFailed', async () => {
    dataDir = await makeTempDir('publish');
    const layout = new DataLayout(dataDir);
    const store = new ObjectStore(layout);
    const key = 'k/race.txt';
    const ref = { bucket: Bucket, key, segments: keySegments(key) };
    await mkdir(layout.bucketDir(Bucket), { recursive: true });
    await mkdir(layout.tempDir, { recursive: true });
    const temps = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const path = layout.newTempPath();
        await writeFile(path, `writer ${i}`);
        return { path, stat: await stat(path, { bigint: true }) };
      }),
    );
    const object = {
      etag: '"e"',
      contentType: 'text/plain',
      headers: {},
      userMetadata: {},
      checksum: undefined,
    };
    const results = await Promise.allSettled(
      temps.map((temp) => store.publish(ref, temp, object, true)),
    );
    const winners = results.flatMap((result, i) => (result.status === 'fulfilled' ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(S3Error);
        expect((result.reason as S3Error).code).toBe('PreconditionFailed');
      }
    }
    expect(await readFile(layout.objectPath(Bucket, ref.segments), 'utf8')).toBe(
      `writer ${winners[0]}`,
    );
    expect(await readdir(layout.tempDir)).toEqual([]); // losers' and winner's temp names are gone
  });
});
