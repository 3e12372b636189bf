// The endpoint answering as S3 answers a caller without s3:ListBucket (the deployed function's
// role): a missing key is 403 AccessDenied on GetObject and HeadObject, not 404 NoSuchKey.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3Endpoint, type StartedS3Endpoint } from '../../../emulator/s3';
import { failure, rawRequest } from './support';

const Bucket = 'readings';
let dir: string;
let endpoint: StartedS3Endpoint;
let client: S3Client;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3-without-list-'));
  endpoint = await new S3Endpoint({ dataDir: dir, withoutListBucket: true }).start();
  client = new S3Client({
    endpoint: endpoint.url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(new CreateBucketCommand({ Bucket }));
  await client.send(new PutObjectCommand({ Bucket, Key: 'events/present.json', Body: '{}' }));
});
afterAll(async () => {
  client.destroy();
  await endpoint.stop();
  await rm(dir, { recursive: true, force: true });
});

test('a missing key is 403 AccessDenied on GetObject and HeadObject', async () => {
  const get = await failure(client.send(new GetObjectCommand({ Bucket, Key: 'events/gone.json' })));
  expect(get.name).toBe('AccessDenied');
  expect(get.$metadata.httpStatusCode).toBe(403);
  const head = await failure(
    client.send(new HeadObjectCommand({ Bucket, Key: 'events/gone.json' })),
  );
  expect(head.$metadata.httpStatusCode).toBe(403);
  const raw = await rawRequest(endpoint.url, {
    method: 'GET',
    path: `/${Bucket}/events/gone.json`,
  });
  expect(raw.body).toContain('<Code>AccessDenied</Code>');
  expect(raw.body).not.toContain('gone.json</Key>');
});

test('existing keys read as usual, and a missing bucket is still NoSuchBucket', async () => {
  const out = await client.send(new GetObjectCommand({ Bucket, Key: 'events/present.json' }));
  expect(await out.Body?.transformToString()).toBe('{}');
  const error = await failure(client.send(new GetObjectCommand({ Bucket: 'nope', Key: 'k' })));
  expect(error.name).toBe('NoSuchBucket');
});
