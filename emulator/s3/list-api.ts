/** ListObjectsV2 (and the older ListObjects, same engine) over a bucket folder. */
import { ownerXml } from './bucket-api';
import type { RequestContext } from './context';
import { s3Errors } from './errors';
import { sendXml } from './http-response';
import {
  decodeContinuationToken,
  encodeContinuationToken,
  type ListPage,
  type ListPosition,
  listPage,
  MAX_KEYS_LIMIT,
} from './list-objects';
import type { ObjectInfo } from './object-meta';
import { parentElement, textElement, xmlDocument } from './xml';

function parseMaxKeys(query: URLSearchParams): number {
  const value = query.get('max-keys');
  if (value === null || value === '') return MAX_KEYS_LIMIT;
  if (!/^\d{1,10}$/.test(value)) {
    throw s3Errors.invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      value,
    );
  }
  return Math.min(Number(value), MAX_KEYS_LIMIT);
}

/** With encoding-type=url, S3 percent-encodes keys and prefixes in the answer. */
function encoder(query: URLSearchParams): (text: string) => string {
  const encodingType = query.get('encoding-type');
  if (encodingType === null) return (text) => text;
  if (encodingType !== 'url') {
    throw s3Errors.invalidArgument(
      'Invalid Encoding Method specified in Request',
      'encoding-type',
      encodingType,
    );
  }
  return (text) => encodeURIComponent(text).replaceAll('%2F', '/');
}

interface Listed {
  readonly page: ListPage;
  readonly objects: Array<{ readonly key: string; readonly info: ObjectInfo }>;
}

async function list(
  ctx: RequestContext,
  bucket: string,
  query: URLSearchParams,
  position: ListPosition | undefined,
): Promise<Listed> {
  const maxKeys = parseMaxKeys(query);
  await ctx.buckets.assertExists(bucket);
  const page = await listPage(ctx.layout.bucketDir(bucket), {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    maxKeys,
    start: position,
  });
  const described = await Promise.all(
    page.keys.map(async (key) => {
      const info = await ctx.objects.head({ bucket, key, segments: key.split('/') });
      return info === undefined ? undefined : { key, info }; // deleted since the walk
    }),
  );
  return { page, objects: described.filter((entry) => entry !== undefined) };
}

function contentsXml(
  objects: Listed['objects'],
  encode: (text: string) => string,
  withOwner: boolean,
): string {
  return objects
    .map(({ key, info }) =>
      parentElement(
        'Contents',
        textElement('Key', encode(key)) +
          textElement('LastModified', info.lastModified.toISOString()) +
          textElement('ETag', info.etag) +
          textElement('ChecksumAlgorithm', info.checksum?.algorithm) +
          textElement('ChecksumType', info.checksum === undefined ? undefined : 'FULL_OBJECT') +
          textElement('Size', info.size) +
          (withOwner ? ownerXml() : '') +
          textElement('StorageClass', 'STANDARD'),
      ),
    )
    .join('');
}

function commonPrefixesXml(page: ListPage, encode: (text: string) => string): string {
  return page.commonPrefixes
    .map((prefix) => parentElement('CommonPrefixes', textElement('Prefix', encode(prefix))))
    .join('');
}

function optional(query: URLSearchParams, name: string): string | undefined {
  return query.get(name) ?? undefined;
}

export async function listObjectsV2(
  ctx: RequestContext,
  bucket: string,
  query: URLSearchParams,
): Promise<void> {
  const encode = encoder(query);
  const token = optional(query, 'continuation-token');
  const startAfter = optional(query, 'start-after');
  const position =
    token !== undefined
      ? decodeContinuationToken(token)
      : startAfter === undefined
        ? undefined
        : { after: startAfter, isCommonPrefix: false };
  const { page, objects } = await list(ctx, bucket, query, position);
  const prefix = query.get('prefix') ?? '';
  const delimiter = optional(query, 'delimiter');
  const xml = xmlDocument(
    'ListBucketResult',
    textElement('Name', bucket) +
      textElement('Prefix', encode(prefix)) +
      textElement('Delimiter', delimiter === undefined ? undefined : encode(delimiter)) +
      textElement('MaxKeys', parseMaxKeys(query)) +
      textElement('EncodingType', optional(query, 'encoding-type')) +
      textElement('KeyCount', objects.length + page.commonPrefixes.length) +
      textElement('IsTruncated', page.isTruncated) +
      textElement('ContinuationToken', token) +
      textElement(
        'NextContinuationToken',
        page.next === undefined ? undefined : encodeContinuationToken(page.next),
      ) +
      textElement('StartAfter', startAfter === undefined ? undefined : encode(startAfter)) +
      contentsXml(objects, encode, query.get('fetch-owner') === 'true') +
      commonPrefixesXml(page, encode),
  );
  sendXml(ctx.res, 200, xml);
}

export async function listObjects(
  ctx: RequestContext,
  bucket: string,
  query: URLSearchParams,
): Promise<void> {
  const encode = encoder(query);
  const marker = optional(query, 'marker');
  const delimiter = optional(query, 'delimiter');
  // A NextMarker may be a CommonPrefix; continuing after it skips the keys it rolled up.
  const position =
    marker === undefined
      ? undefined
      : {
          after: marker,
          isCommonPrefix: delimiter !== undefined && delimiter !== '' && marker.endsWith(delimiter),
        };
  const { page, objects } = await list(ctx, bucket, query, position);
  const xml = xmlDocument(
    'ListBucketResult',
    textElement('Name', bucket) +
      textElement('Prefix', encode(query.get('prefix') ?? '')) +
      textElement('Marker', encode(marker ?? '')) +
      textElement('NextMarker', page.next === undefined ? undefined : encode(page.next.after)) +
      textElement('Delimiter', delimiter === undefined ? undefined : encode(delimiter)) +
      textElement('MaxKeys', parseMaxKeys(query)) +
      textElement('EncodingType', optional(query, 'encoding-type')) +
      textElement('IsTruncated', page.isTruncated) +
      contentsXml(objects, encode, true) +
      commonPrefixesXml(page, encode),
  );
  sendXml(ctx.res, 200, xml);
}
