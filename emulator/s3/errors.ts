/**
 * S3 error codes the endpoint returns, with the HTTP status S3 uses for each. Messages follow S3's
 * wording where S3 has one, and say what to do where the emulator is stricter than S3.
 */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra elements of the error document, e.g. BucketName or Key. */
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'S3Error';
  }
}

export const s3Errors = {
  noSuchBucket: (bucket: string) =>
    new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket }),
  accessDenied: () => new S3Error('AccessDenied', 403, 'Access Denied'),
  noSuchKey: (key: string) =>
    new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }),
  bucketNotEmpty: (bucket: string) =>
    new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', {
      BucketName: bucket,
    }),
  invalidBucketName: (bucket: string, why: string) =>
    new S3Error('InvalidBucketName', 400, `The specified bucket is not valid: ${why}`, {
      BucketName: bucket,
    }),
  preconditionFailed: (condition: string) =>
    new S3Error(
      'PreconditionFailed',
      412,
      'At least one of the pre-conditions you specified did not hold',
      { Condition: condition },
    ),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error('InvalidArgument', 400, message, {
      ...(name === undefined ? {} : { ArgumentName: name }),
      ...(value === undefined ? {} : { ArgumentValue: value }),
    }),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', 400, message),
  invalidUri: (message: string) => new S3Error('InvalidURI', 400, message),
  keyTooLong: (bytes: number) =>
    new S3Error('KeyTooLongError', 400, `Your key is too long (${bytes} bytes; the limit is 1024)`),
  keyConflict: (key: string) =>
    new S3Error(
      'KeyConflict',
      409,
      `Key "${key}" cannot be stored: it and an existing key would be both an object and a folder ` +
        '(this emulator keeps each key as a file). Delete the other key or choose another name.',
      { Key: key },
    ),
  incompleteBody: (message: string) => new S3Error('IncompleteBody', 400, message),
  badDigest: (what: string) =>
    new S3Error(
      'BadDigest',
      400,
      `The ${what} you specified did not match the calculated checksum.`,
    ),
  invalidDigest: (what: string) =>
    new S3Error('InvalidDigest', 400, `The ${what} you specified is not valid.`),
  malformedTrailer: (message: string) => new S3Error('MalformedTrailerError', 400, message),
  entityTooLarge: (limit: number) =>
    new S3Error(
      'EntityTooLarge',
      400,
      `Your proposed upload exceeds the maximum allowed size (${limit} bytes for one PutObject).`,
    ),
  metadataTooLarge: () =>
    new S3Error(
      'MetadataTooLarge',
      400,
      'Your metadata headers exceed the maximum allowed metadata size (2 KB).',
    ),
  invalidRange: (size: number) =>
    new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
      ActualObjectSize: String(size),
    }),
  methodNotAllowed: (method: string, resourceType: string) =>
    new S3Error(
      'MethodNotAllowed',
      405,
      'The specified method is not allowed against this resource.',
      { Method: method, ResourceType: resourceType },
    ),
  notImplemented: (what: string) =>
    new S3Error(
      'NotImplemented',
      501,
      `${what} is not implemented by the push-pipeline S3 emulator. Use PutObject, GetObject, ` +
        'HeadObject, DeleteObject, ListObjectsV2 and the bucket operations, or run against LocalStack.',
    ),
  slowDown: () => new S3Error('SlowDown', 503, 'Please reduce your request rate.'),
  internal: () =>
    new S3Error(
      'InternalError',
      500,
      'We encountered an internal error. Please try again (the emulator logged the cause).',
    ),
} as const;
