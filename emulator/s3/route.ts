/**
 * Path-style S3 request -> operation: `/` (service), `/<bucket>`, `/<bucket>/<key>`. The key is
 * percent-decoded here and checked by keySegments() in the handlers; nothing is normalised, so
 * `..` reaches the check instead of being resolved away. Virtual-hosted-style is not served.
 */
import { s3Errors } from './errors';
import { assertBucketName } from './keys';

export type Route =
  | { readonly operation: 'ListBuckets'; readonly query: URLSearchParams }
  | {
      readonly operation:
        | 'CreateBucket'
        | 'HeadBucket'
        | 'DeleteBucket'
        | 'ListObjectsV2'
        | 'ListObjects'
        | 'GetBucketLocation';
      readonly bucket: string;
      readonly query: URLSearchParams;
    }
  | {
      readonly operation: 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject';
      readonly bucket: string;
      readonly key: string;
      readonly query: URLSearchParams;
    };

/** Sub-resources of S3's API that select other operations (ACLs, multipart uploads...). */
const UNSUPPORTED_SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'logging',
  'metadataTable',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'renameObject',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'session',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versioning',
  'versions',
  'website',
];

/** Sub-resources whose operation names are not `<Verb><Bucket|Object><Name>`. */
const SPECIAL_OPERATIONS: Record<string, Record<string, string>> = {
  uploads: { POST: 'CreateMultipartUpload', GET: 'ListMultipartUploads' },
  uploadId: {
    PUT: 'UploadPart',
    POST: 'CompleteMultipartUpload',
    DELETE: 'AbortMultipartUpload',
    GET: 'ListParts',
  },
  delete: { POST: 'DeleteObjects' },
  versions: { GET: 'ListObjectVersions' },
  select: { POST: 'SelectObjectContent' },
  restore: { POST: 'RestoreObject' },
  renameObject: { PUT: 'RenameObject' },
  session: { GET: 'CreateSession' },
  attributes: { GET: 'GetObjectAttributes' },
  partNumber: { GET: 'GetObject with partNumber', HEAD: 'HeadObject with partNumber' },
  torrent: { GET: 'GetObjectTorrent' },
  policyStatus: { GET: 'GetBucketPolicyStatus' },
  publicAccessBlock: {
    GET: 'GetPublicAccessBlock',
    PUT: 'PutPublicAccessBlock',
    DELETE: 'DeletePublicAccessBlock',
  },
  'object-lock': { GET: 'GetObjectLockConfiguration', PUT: 'PutObjectLockConfiguration' },
  lifecycle: {
    GET: 'GetBucketLifecycleConfiguration',
    PUT: 'PutBucketLifecycleConfiguration',
    DELETE: 'DeleteBucketLifecycle',
  },
};

/** Sub-resources whose Get/Put operations end in "Configuration". */
const CONFIGURATION_SUBRESOURCES = new Set([
  'accelerate',
  'analytics',
  'intelligent-tiering',
  'inventory',
  'metrics',
  'notification',
]);

/** The S3 API name of a request for a sub-resource, e.g. GET ?tagging on a key: GetObjectTagging. */
function operationName(method: string, subresource: string, onObject: boolean): string {
  const special = SPECIAL_OPERATIONS[subresource]?.[method];
  if (special !== undefined) return special;
  const verb = method.charAt(0) + method.slice(1).toLowerCase();
  const name = subresource
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  const suffix =
    CONFIGURATION_SUBRESOURCES.has(subresource) && method !== 'DELETE' ? 'Configuration' : '';
  return `${verb}${onObject ? 'Object' : 'Bucket'}${name}${suffix}`;
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw s3Errors.invalidUri(
      `Couldn't parse the specified URI: the ${what} is not valid percent-encoding.`,
    );
  }
}

export function parseRoute(method: string, url: string): Route {
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
  if (!rawPath.startsWith('/'))
    throw s3Errors.invalidUri(`Couldn't parse the specified URI: ${rawPath}`);

  const slash = rawPath.indexOf('/', 1);
  const bucket = decode(slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash), 'bucket name');
  const key = slash === -1 ? '' : decode(rawPath.slice(slash + 1), 'object key');

  // uploadId first: UploadPart carries partNumber too.
  const unsupported = query.has('uploadId')
    ? 'uploadId'
    : UNSUPPORTED_SUBRESOURCES.find((name) => query.has(name));
  if (unsupported !== undefined) {
    throw s3Errors.notImplemented(operationName(method, unsupported, key !== ''));
  }

  if (bucket === '') {
    if (method === 'GET') return { operation: 'ListBuckets', query };
    throw s3Errors.methodNotAllowed(method, 'SERVICE');
  }
  assertBucketName(bucket);

  if (key === '') {
    switch (method) {
      case 'PUT':
        return { operation: 'CreateBucket', bucket, query };
      case 'HEAD':
        return { operation: 'HeadBucket', bucket, query };
      case 'DELETE':
        return { operation: 'DeleteBucket', bucket, query };
      case 'GET':
        if (query.has('location')) return { operation: 'GetBucketLocation', bucket, query };
        return {
          operation: query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects',
          bucket,
          query,
        };
      case 'POST':
        throw s3Errors.notImplemented('POST object (browser form upload)');
      default:
        throw s3Errors.methodNotAllowed(method, 'BUCKET');
    }
  }

  const versionId = query.get('versionId');
  if (versionId !== null && versionId !== 'null') {
    throw s3Errors.invalidArgument(
      'Invalid version id specified (buckets here are not versioned).',
      'versionId',
      versionId,
    );
  }
  switch (method) {
    case 'PUT':
      return { operation: 'PutObject', bucket, key, query };
    case 'GET':
      return { operation: 'GetObject', bucket, key, query };
    case 'HEAD':
      return { operation: 'HeadObject', bucket, key, query };
    case 'DELETE':
      return { operation: 'DeleteObject', bucket, key, query };
    default:
      throw s3Errors.methodNotAllowed(method, 'OBJECT');
  }
}
