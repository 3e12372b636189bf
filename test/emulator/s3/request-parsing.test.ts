/** The pure request-parsing parts: routes, keys, bucket names, ranges. */
import { S3Error } from '../../../emulator/s3/errors';
import { bucketNameProblem, keySegments } from '../../../emulator/s3/keys';
import { parseRange } from '../../../emulator/s3/range';
import { parseRoute } from '../../../emulator/s3/route';

function s3ErrorOf(action: () => unknown): S3Error {
  try {
    action();
  } catch (error) {
    if (error instanceof S3Error) return error;
    throw error;
  }
  throw new Error('expected an S3Error');
}

test('routes: service, bucket and object operations, path-style', () => {
  expect(parseRoute('GET', '/').operation).toBe('ListBuckets');
  expect(parseRoute('PUT', '/my-bucket').operation).toBe('CreateBucket');
  expect(parseRoute('PUT', '/my-bucket/').operation).toBe('CreateBucket');
  expect(parseRoute('GET', '/my-bucket?list-type=2&prefix=a%2Fb').operation).toBe('ListObjectsV2');
  expect(parseRoute('GET', '/my-bucket?location').operation).toBe('GetBucketLocation');
  const put = parseRoute('PUT', '/my-bucket/a%20b/c%2Bd.json?x-id=PutObject');
  expect(put).toMatchObject({ operation: 'PutObject', bucket: 'my-bucket', key: 'a b/c+d.json' });
});

test('routes: unsupported methods and sub-resources get S3 errors', () => {
  expect(s3ErrorOf(() => parseRoute('PATCH', '/my-bucket/key')).code).toBe('MethodNotAllowed');
  expect(s3ErrorOf(() => parseRoute('PATCH', '/my-bucket/key')).status).toBe(405);
  expect(s3ErrorOf(() => parseRoute('POST', '/my-bucket/key?uploads')).code).toBe('NotImplemented');
  expect(s3ErrorOf(() => parseRoute('GET', '/my-bucket?versioning')).status).toBe(501);
  expect(s3ErrorOf(() => parseRoute('GET', '/my-bucket/key?versionId=abc')).code).toBe(
    'InvalidArgument',
  );
});

test('keys: safe keys split into segments; unsafe ones are refused', () => {
  expect(keySegments('events/dt=2026-11-25/hour=01/x.json')).toEqual([
    'events',
    'dt=2026-11-25',
    'hour=01',
    'x.json',
  ]);
  expect(keySegments('...')).toEqual(['...']); // three dots is an ordinary name
  for (const key of [
    '',
    'a/../b',
    '../x',
    '/x',
    'x/',
    'a//b',
    'a\\b',
    'a\u0000b',
    `${'s'.repeat(256)}/x`,
  ]) {
    expect(s3ErrorOf(() => keySegments(key)).status).toBe(400);
  }
  expect(s3ErrorOf(() => keySegments('k'.repeat(1025))).code).toBe('KeyTooLongError');
  expect(s3ErrorOf(() => keySegments('a:b', 'win32')).status).toBe(400);
  expect(keySegments('a:b', 'linux')).toEqual(['a:b']);
});

test('bucket names follow S3 rules', () => {
  expect(bucketNameProblem('push-pipeline-data.1')).toBeUndefined();
  for (const name of [
    'ab',
    '-start',
    'end-',
    'UPPER',
    'under_score',
    'a..b',
    '10.0.0.1',
    '.meta',
    `${'a'.repeat(64)}`,
  ]) {
    expect(bucketNameProblem(name)).toBeDefined();
  }
});

test('ranges: single byte ranges, suffixes, clamping, unsatisfiable and ignored forms', () => {
  expect(parseRange(undefined, 100)).toEqual({ kind: 'whole' });
  expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 9 });
  expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
  expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
  expect(parseRange('bytes=-500', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
  expect(parseRange('bytes=50-5000', 100)).toEqual({ kind: 'partial', start: 50, end: 99 });
  expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
  expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  expect(parseRange('bytes=9-1', 100)).toEqual({ kind: 'whole' });
  expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'whole' });
  expect(parseRange('items=0-1', 100)).toEqual({ kind: 'whole' });
});
