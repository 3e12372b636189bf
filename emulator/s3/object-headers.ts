/**
 * Object headers in and out: what a PutObject stores (Content-Type, the standard representation
 * headers, x-amz-meta-*), and the headers GetObject/HeadObject answer with.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { checksumHeaderName } from './checksums';
import { s3Errors } from './errors';
import { DEFAULT_CONTENT_TYPE, type NewObject, type ObjectInfo } from './object-meta';

const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
] as const;
const USER_METADATA_PREFIX = 'x-amz-meta-';
/** S3 limits user metadata to 2 KB (names and values). */
const MAX_USER_METADATA_BYTES = 2048;

export function objectFieldsFromRequest(
  headers: IncomingHttpHeaders,
): Pick<NewObject, 'contentType' | 'headers' | 'userMetadata'> {
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') stored[name] = value;
  }
  // aws-chunked describes the upload's framing, not the stored object.
  const encoding = stored['content-encoding']
    ?.split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && token.toLowerCase() !== 'aws-chunked')
    .join(',');
  if (encoding === undefined || encoding === '') delete stored['content-encoding'];
  else stored['content-encoding'] = encoding;

  const userMetadata: Record<string, string> = {};
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(USER_METADATA_PREFIX) || value === undefined) continue;
    const key = name.slice(USER_METADATA_PREFIX.length);
    const text = Array.isArray(value) ? value.join(',') : value;
    metadataBytes += Buffer.byteLength(key) + Buffer.byteLength(text);
    userMetadata[key] = text;
  }
  if (metadataBytes > MAX_USER_METADATA_BYTES) throw s3Errors.metadataTooLarge();

  const contentType = headers['content-type'];
  return {
    contentType:
      contentType === undefined || contentType === '' ? DEFAULT_CONTENT_TYPE : contentType,
    headers: stored,
    userMetadata,
  };
}

/** GetObject's response-* query parameters override these headers of the answer. */
const RESPONSE_OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/** The characters an HTTP header value may carry. */
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

export interface ObjectHeaderOptions {
  /** x-amz-checksum-mode: ENABLED and the whole object is served: include the stored checksum. */
  readonly includeChecksum: boolean;
  readonly query: URLSearchParams;
}

export function objectResponseHeaders(
  info: ObjectInfo,
  options: ObjectHeaderOptions,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'content-type': info.contentType,
    etag: info.etag,
    'last-modified': info.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    ...info.headers,
  };
  for (const [name, value] of Object.entries(info.userMetadata)) {
    headers[USER_METADATA_PREFIX + name] = value;
  }
  if (options.includeChecksum && info.checksum !== undefined) {
    headers[checksumHeaderName(info.checksum.algorithm)] = info.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  for (const [parameter, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = options.query.get(parameter);
    if (value === null) continue;
    if (!HEADER_VALUE.test(value)) {
      throw s3Errors.invalidArgument(`${parameter} is not a valid header value.`, parameter, value);
    }
    headers[name] = value;
  }
  return headers;
}
