import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { failure, type S3Fixture, useS3 } from './support';

let s3: S3Fixture;
useS3('buckets', (started) => {
  s3 = started;
});

test('CreateBucket makes a folder, and creating it again succeeds (BucketAlreadyOwnedByYou as in us-east-1)', async () => {
  const first = await s3.client.send(new CreateBucketCommand({ Bucket: 'readings' }));
  expect(first.$metadata.httpStatusCode).toBe(200);
  expect(first.Location).toBe('/readings');
  expect((await stat(join(s3.dataDir, 'readings'))).isDirectory()).toBe(true);

  await s3.client.send(new PutObjectCommand({ Bucket: 'readings', Key: 'kept.txt', Body: 'kept' }));
  const again = await s3.client.send(new CreateBucketCommand({ Bucket: 'readings' }));
  expect(again.$metadata.httpStatusCode).toBe(200);
  expect((await stat(join(s3.dataDir, 'readings', 'kept.txt'))).size).toBe(4);
});

test('HeadBucket: 200 with the region for an existing bucket, 404 NotFound otherwise', async () => {
  await s3.client.send(new CreateBucketCommand({ Bucket: 'readings' }));
  const head = await s3.client.send(new HeadBucketCommand({ Bucket: 'readings' }));
  expect(head.$metadata.httpStatusCode).toBe(200);
  expect(head.BucketRegion).toBe('us-east-1');

  const error = await failure(s3.client.send(new HeadBucketCommand({ Bucket: 'missing-bucket' })));
  expect(error.$metadata.httpStatusCode).toBe(404);
  expect(error.name).toBe('NotFound');
});

test('ListBuckets lists bucket folders by name and ignores the internal folders', async () => {
  for (const bucket of ['zeta-bucket', 'alpha-bucket', 'mid.bucket']) {
    await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  await s3.client.send(new PutObjectCommand({ Bucket: 'alpha-bucket', Key: 'x', Body: 'x' }));
  const listed = await s3.client.send(new ListBucketsCommand({}));
  expect(listed.Buckets?.map((bucket) => bucket.Name)).toEqual([
    'alpha-bucket',
    'mid.bucket',
    'zeta-bucket',
  ]);
  for (const bucket of listed.Buckets ?? []) expect(bucket.CreationDate).toBeInstanceOf(Date);
  expect(listed.Owner?.ID).toBeTruthy();
});

test('invalid bucket names are refused with 400 InvalidBucketName and create nothing', async () => {
  for (const bucket of ['ab', 'Upper-Case', '192.168.0.1', 'bad..dots']) {
    const error = await failure(s3.client.send(new CreateBucketCommand({ Bucket: bucket })));
    expect(error.name).toBe('InvalidBucketName');
    expect(error.$metadata.httpStatusCode).toBe(400);
  }
  expect((await s3.client.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
});

test('DeleteBucket refuses a bucket with objects (409 BucketNotEmpty) and removes an empty one', async () => {
  await s3.client.send(new CreateBucketCommand({ Bucket: 'readings' }));
  await s3.client.send(
    new PutObjectCommand({ Bucket: 'readings', Key: 'deep/er/key.json', Body: '{}' }),
  );
  const error = await failure(s3.client.send(new DeleteBucketCommand({ Bucket: 'readings' })));
  expect(error.name).toBe('BucketNotEmpty');
  expect(error.$metadata.httpStatusCode).toBe(409);

  await s3.client.send(new DeleteObjectCommand({ Bucket: 'readings', Key: 'deep/er/key.json' }));
  const deleted = await s3.client.send(new DeleteBucketCommand({ Bucket: 'readings' }));
  expect(deleted.$metadata.httpStatusCode).toBe(204);
  await expect(stat(join(s3.dataDir, 'readings'))).rejects.toMatchObject({ code: 'ENOENT' });
  const gone = await failure(s3.client.send(new DeleteBucketCommand({ Bucket: 'readings' })));
  expect(gone.name).toBe('NoSuchBucket');
});

test('GetBucketLocation reports us-east-1 (an empty constraint)', async () => {
  await s3.client.send(new CreateBucketCommand({ Bucket: 'readings' }));
  const location = await s3.client.send(new GetBucketLocationCommand({ Bucket: 'readings' }));
  expect(location.$metadata.httpStatusCode).toBe(200);
  expect(location.LocationConstraint ?? '').toBe('');
});
