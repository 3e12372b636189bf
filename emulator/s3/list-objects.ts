/**
 * One page of a ListObjects(V2) listing: keys and CommonPrefixes in S3 order, MaxKeys counting
 * both, and where the next page starts. Continuation tokens are opaque to clients; here they
 * hold the last key or CommonPrefix of the page.
 */
import { s3Errors } from './errors';
import { type WalkControl, walkKeys } from './key-walker';

export interface ListRequest {
  readonly prefix: string;
  /** Empty string: no delimiter. */
  readonly delimiter: string;
  readonly maxKeys: number;
  /** Start after this key (StartAfter / marker), or the position a continuation token holds. */
  readonly start: ListPosition | undefined;
}

/** A place in the listing: after a key, or after every key under a CommonPrefix. */
export interface ListPosition {
  readonly after: string;
  readonly isCommonPrefix: boolean;
}

export interface ListPage {
  readonly keys: string[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** Where the next page starts; set when isTruncated. */
  readonly next: ListPosition | undefined;
}

export const MAX_KEYS_LIMIT = 1000;

export async function listPage(bucketDir: string, request: ListRequest): Promise<ListPage> {
  const { prefix, delimiter, maxKeys, start } = request;
  const keys: string[] = [];
  const commonPrefixes: string[] = [];
  let last: ListPosition | undefined;
  let isTruncated = false;
  if (maxKeys === 0) return { keys, commonPrefixes, isTruncated, next: undefined };
  const control: WalkControl = { skipPrefix: start?.isCommonPrefix ? start.after : undefined };
  for await (const key of walkKeys(bucketDir, { prefix, after: start?.after }, control)) {
    if (keys.length + commonPrefixes.length === maxKeys) {
      isTruncated = true; // one more exists beyond this page
      break;
    }
    const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    if (cut === -1) {
      keys.push(key);
      last = { after: key, isCommonPrefix: false };
    } else {
      const commonPrefix = key.slice(0, cut + delimiter.length);
      commonPrefixes.push(commonPrefix);
      last = { after: commonPrefix, isCommonPrefix: true };
      control.skipPrefix = commonPrefix; // the rest of this prefix is rolled up into it
    }
  }
  return { keys, commonPrefixes, isTruncated, next: isTruncated ? last : undefined };
}

const TOKEN_VERSION = 'v1';

export function encodeContinuationToken(position: ListPosition): string {
  const kind = position.isCommonPrefix ? 'p' : 'k';
  return Buffer.from(`${TOKEN_VERSION}:${kind}:${position.after}`, 'utf8').toString('base64url');
}

export function decodeContinuationToken(token: string): ListPosition {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const match = /^v1:([kp]):([\s\S]+)$/.exec(text);
  if (match === null || match[2] === undefined) {
    throw s3Errors.invalidArgument(
      'The continuation token provided is incorrect. Pass NextContinuationToken from the previous page.',
      'continuation-token',
      token,
    );
  }
  return { after: match[2], isCommonPrefix: match[1] === 'p' };
}
