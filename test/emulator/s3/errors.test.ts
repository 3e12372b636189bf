import { request } from 'node:http';
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  errorCode,
  failure,
  listFiles,
  patternBytes,
  rawRequest,
  type S3Fixture,
  useS3,
} from './support';

const Bucket = 'readings';
let s3: S3Fixture;
useS3(
  'errors',
  (started) => {
    s3 = started;
  },
  Bucket,
);

test('NoSuchKey: name, status, request id and the XML fields the SDK parses', async () => {
  const error = await failure(
    s3.client.send(new GetObjectCommand({ Bucket, Key: 'missing.json' })),
  );
  expect(error.name).toBe('NoSuchKey');
  expect(error.$metadata.httpStatusCode).toBe(404);
  expect(error.$metadata.requestId).toMatch(/^[0-9A-F]{16}$/);
  expect(error.$fault).toBe('client');

  const raw = await rawRequest(s3.endpoint.url, { method: 'GET', path: `/${Bucket}/missing.json` });
  expect(raw.status).toBe(404);
  expect(raw.headers['content-type']).toBe('application/xml');
  expect(raw.body).toContain('<Code>NoSuchKey</Code>');
  expect(raw.body).toContain('<Key>missing.json</Key>');
  expect(raw.body).toContain(`<RequestId>${String(raw.headers['x-amz-request-id'])}</RequestId>`);
});

test('NoSuchBucket for objects of a missing bucket: put, get, head', async () => {
  const put = await failure(
    s3.client.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' })),
  );
  expect(put.name).toBe('NoSuchBucket');
  expect(put.$metadata.httpStatusCode).toBe(404);
  const get = await failure(
    s3.client.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })),
  );
  expect(get.name).toBe('NoSuchBucket');
  const head = await failure(
    s3.client.send(new HeadObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })),
  );
  expect(head.$metadata.httpStatusCode).toBe(404);
  expect(await listFiles(s3.dataDir)).toEqual([]);
});

test('large uploads (sent with Expect: 100-continue) get NoSuchBucket and PreconditionFailed, and the client keeps working', async () => {
  const content = patternBytes(3 * 1024 * 1024, 8); // the SDK asks for 100-continue from 2 MB
  const missing = await failure(
    s3.client.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'big', Body: content })),
  );
  expect(missing.name).toBe('NoSuchBucket');
  await s3.client.send(
    new PutObjectCommand({ Bucket, Key: 'big', Body: content, IfNoneMatch: '*' }),
  );
  const exists = await failure(
    s3.client.send(new PutObjectCommand({ Bucket, Key: 'big', Body: content, IfNoneMatch: '*' })),
  );
  expect(exists.name).toBe('PreconditionFailed');
  // And the client keeps working afterwards.
  const got = await s3.client.send(new GetObjectCommand({ Bucket, Key: 'big' }));
  expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(content)).toBe(true);
});

test('a raw Expect: 100-continue upload gets 100 Continue when it can proceed', async () => {
  const { hostname, port } = new URL(s3.endpoint.url);
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({
      hostname,
      port,
      method: 'PUT',
      path: `/${Bucket}/continued.txt`,
      headers: { expect: '100-continue', 'content-length': '5' },
      agent: false,
    });
    req.on('continue', () => req.end('hello'));
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
  expect(status).toBe(200);
  const got = await s3.client.send(new GetObjectCommand({ Bucket, Key: 'continued.txt' }));
  expect(await got.Body?.transformToString()).toBe('hello');
});

test('a wrong checksum or Content-MD5 from the SDK is 400 BadDigest and stores nothing', async () => {
  const crc = await failure(
    s3.client.send(
      new PutObjectCommand({ Bucket, Key: 'k1', Body: 'data', ChecksumCRC32: 'AAAAAA==' }),
    ),
  );
  expect(crc.name).toBe('BadDigest');
  expect(crc.$metadata.httpStatusCode).toBe(400);
  const md5 = await failure(
    s3.client.send(
      new PutObjectCommand({
        Bucket,
        Key: 'k2',
        Body: 'data',
        ContentMD5: Buffer.alloc(16).toString('base64'),
      }),
    ),
  );
  expect(md5.name).toBe('BadDigest');
  expect(await listFiles(s3.dataDir)).toEqual([]);
});

test('unsupported operations answer 501 NotImplemented, unknown methods 405 MethodNotAllowed', async () => {
  const multipart = await failure(
    s3.client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'big' })),
  );
  expect(multipart.name).toBe('NotImplemented');
  expect(multipart.$metadata.httpStatusCode).toBe(501);
  await s3.client.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'x' }));
  const copy = await failure(
    s3.client.send(new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src` })),
  );
  expect(copy.name).toBe('NotImplemented');

  const patch = await rawRequest(s3.endpoint.url, { method: 'PATCH', path: `/${Bucket}/src` });
  expect(patch.status).toBe(405);
  expect(errorCode(patch.body)).toBe('MethodNotAllowed');
  const post = await rawRequest(s3.endpoint.url, { method: 'POST', path: '/' });
  expect(post.status).toBe(405);
});

test.each<[string, (client: S3Client) => Promise<unknown>]>([
  ['CreateMultipartUpload', (c) => c.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }))],
  [
    'UploadPart',
    (c) =>
      c.send(new UploadPartCommand({ Bucket, Key: 'k', UploadId: 'u', PartNumber: 1, Body: 'x' })),
  ],
  ['ListMultipartUploads', (c) => c.send(new ListMultipartUploadsCommand({ Bucket }))],
  [
    'CopyObject',
    (c) => c.send(new CopyObjectCommand({ Bucket, Key: 'k', CopySource: `${Bucket}/src` })),
  ],
  [
    'DeleteObjects',
    (c) => c.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'src' }] } })),
  ],
  ['GetObjectTagging', (c) => c.send(new GetObjectTaggingCommand({ Bucket, Key: 'src' }))],
  [
    'PutObjectTagging',
    (c) => c.send(new PutObjectTaggingCommand({ Bucket, Key: 'src', Tagging: { TagSet: [] } })),
  ],
  ['PutObjectAcl', (c) => c.send(new PutObjectAclCommand({ Bucket, Key: 'src', ACL: 'private' }))],
  [
    'GetObjectAttributes',
    (c) =>
      c.send(new GetObjectAttributesCommand({ Bucket, Key: 'src', ObjectAttributes: ['ETag'] })),
  ],
  ['ListObjectVersions', (c) => c.send(new ListObjectVersionsCommand({ Bucket }))],
  ['GetBucketVersioning', (c) => c.send(new GetBucketVersioningCommand({ Bucket }))],
  ['GetBucketPolicy', (c) => c.send(new GetBucketPolicyCommand({ Bucket }))],
  [
    'PutBucketLifecycleConfiguration',
    (c) =>
      c.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket,
          LifecycleConfiguration: { Rules: [] },
        }),
      ),
  ],
])(
  '%s answers 501 NotImplemented naming the operation, never a 200, and changes nothing',
  async (operation, call) => {
    await s3.client.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'kept' }));
    const error = await failure(call(s3.client));
    expect(error.$metadata.httpStatusCode).toBe(501);
    expect(error.name).toBe('NotImplemented');
    expect(error.message).toMatch(new RegExp(`^${operation}( |$)`));
    expect(await listFiles(s3.dataDir)).toEqual(['.meta/readings/src', 'readings/src']);
  },
);

test('every answer carries x-amz-request-id, and ids differ', async () => {
  const a = await rawRequest(s3.endpoint.url, { method: 'GET', path: '/' });
  const b = await rawRequest(s3.endpoint.url, { method: 'HEAD', path: `/${Bucket}` });
  expect(a.headers['x-amz-request-id']).toBeTruthy();
  expect(b.headers['x-amz-request-id']).toBeTruthy();
  expect(a.headers['x-amz-request-id']).not.toBe(b.headers['x-amz-request-id']);
});
