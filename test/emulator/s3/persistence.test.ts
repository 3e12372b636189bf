import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { S3Endpoint, type StartedS3Endpoint } from '../../../emulator/s3';
import { clientFor, makeTempDir } from './support';

let dataDir: string;
const started: StartedS3Endpoint[] = [];
beforeEach(async () => {
  dataDir = join(await makeTempDir('persist'), 'data');
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((endpoint) => endpoint.stop()));
  await rm(join(dataDir, '..'), { recursive: true, force: true });
});

async function start(port = 0): Promise<StartedS3Endpoint> {
  const endpoint = await new S3Endpoint({ dataDir, port }).start();
  started.push(endpoint);
  return endpoint;
}

test('objects and their metadata survive a restart on the same data directory and port', async () => {
  const first = await start();
  expect(first.url).toBe(`http://127.0.0.1:${first.port}`);
  expect(first.dataDir).toBe(dataDir);
  const client = clientFor(first.url);
  await client.send(new CreateBucketCommand({ Bucket: 'readings' }));
  const put = await client.send(
    new PutObjectCommand({
      Bucket: 'readings',
      Key: 'events/dt=2026-11-25/hour=03/a.json',
      Body: '{"a":1}',
      ContentType: 'application/json',
      Metadata: { origin: 'before-restart' },
    }),
  );
  await client.send(
    new PutObjectCommand({ Bucket: 'readings', Key: 'events/top.txt', Body: 'top' }),
  );
  await first.stop(); // the client still holds a keep-alive socket to it

  // The port is free at once: stop() closed the idle keep-alive connection too.
  const second = await start(first.port);
  expect(second.url).toBe(first.url);
  const buckets = await client.send(new ListBucketsCommand({}));
  expect(buckets.Buckets?.map((bucket) => bucket.Name)).toEqual(['readings']);
  const got = await client.send(
    new GetObjectCommand({ Bucket: 'readings', Key: 'events/dt=2026-11-25/hour=03/a.json' }),
  );
  expect(await got.Body?.transformToString()).toBe('{"a":1}');
  expect(got.ContentType).toBe('application/json');
  expect(got.Metadata).toEqual({ origin: 'before-restart' });
  expect(got.ETag).toBe(put.ETag);
  expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
  const listed = await client.send(new ListObjectsV2Command({ Bucket: 'readings' }));
  expect(listed.Contents?.map((object) => object.Key)).toEqual([
    'events/dt=2026-11-25/hour=03/a.json',
    'events/top.txt',
  ]);
  client.destroy();
});

test('a restart clears uploads a crash left half-written, and they never appear as objects', async () => {
  const first = await start();
  const client = clientFor(first.url);
  await client.send(new CreateBucketCommand({ Bucket: 'readings' }));
  await first.stop();
  await writeFile(join(dataDir, '.tmp', 'interrupted-upload'), 'partial');

  const second = await start();
  expect(await readdir(join(dataDir, '.tmp'))).toEqual([]);
  const again = clientFor(second.url);
  const listed = await again.send(new ListObjectsV2Command({ Bucket: 'readings' }));
  expect(listed.KeyCount).toBe(0);
  client.destroy();
  again.destroy();
});

test('a restart keeps the temp files of a live process sharing the data directory', async () => {
  await start();
  // The parent of this test (the jest runner) is alive; pid 2^22+1 is above Linux's pid_max.
  const live = `${process.ppid}-upload-in-progress`;
  const dead = `${2 ** 22 + 1}-killed-upload`;
  await writeFile(join(dataDir, '.tmp', live), 'partial');
  await writeFile(join(dataDir, '.tmp', dead), 'partial');
  await start();
  expect(await readdir(join(dataDir, '.tmp'))).toEqual([live]);
});

test('metadata recorded by earlier versions (one entry, version 1) is still served', async () => {
  await start();
  await mkdir(join(dataDir, 'readings'));
  const file = join(dataDir, 'readings', 'old.json');
  await writeFile(file, '{"old":true}');
  const fileStat = await stat(file, { bigint: true });
  await mkdir(join(dataDir, '.meta', 'readings'), { recursive: true });
  const record = {
    version: 1,
    file: { ino: fileStat.ino.toString(), size: 12, mtimeNs: fileStat.mtimeNs.toString() },
    etag: '"0123456789abcdef0123456789abcdef"',
    lastModified: '2026-11-01T10:00:00.000Z',
    contentType: 'application/json',
    headers: {},
    userMetadata: { origin: 'v1' },
  };
  await writeFile(join(dataDir, '.meta', 'readings', 'old.json'), JSON.stringify(record));
  const endpoint = await start();
  const client = clientFor(endpoint.url);
  const head = await client.send(new HeadObjectCommand({ Bucket: 'readings', Key: 'old.json' }));
  expect(head).toMatchObject({
    ContentType: 'application/json',
    ETag: record.etag,
    Metadata: { origin: 'v1' },
  });
  client.destroy();
});

test('files dropped into a bucket folder by hand are served as objects', async () => {
  const endpoint = await start();
  const client = clientFor(endpoint.url);
  await client.send(new CreateBucketCommand({ Bucket: 'readings' }));
  await writeFile(join(dataDir, 'readings', 'by-hand.csv'), 'a,b\n1,2\n');
  const head = await client.send(new HeadObjectCommand({ Bucket: 'readings', Key: 'by-hand.csv' }));
  expect(head.ContentLength).toBe(8);
  const got = await client.send(new GetObjectCommand({ Bucket: 'readings', Key: 'by-hand.csv' }));
  expect(await got.Body?.transformToString()).toBe('a,b\n1,2\n');
  client.destroy();
});

test('start() fails with a clear message when the port is taken', async () => {
  const first = await start();
  await expect(new S3Endpoint({ dataDir, port: first.port }).start()).rejects.toThrow(
    /in use.*port 0/,
  );
});
