/** Object operations: PutObject, GetObject, HeadObject, DeleteObject. */
import type { OutgoingHttpHeaders } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { AwsChunkedDecoder, AwsChunkedFormatError } from './aws-chunked';
import { checksumHeaderName } from './checksums';
import type { RequestContext } from './context';
import { BodyDigester, BodyTooLargeError, DigestStream } from './digest-stream';
import { s3Errors } from './errors';
import { sendEmpty } from './http-response';
import { keySegments } from './keys';
import { objectFieldsFromRequest, objectResponseHeaders } from './object-headers';
import type { ObjectInfo } from './object-meta';
import { type ObjectRef, readRange } from './object-store';
import { parseRange } from './range';
import { MAX_OBJECT_BYTES, planUpload, verifyUpload } from './upload-body';

function objectRef(bucket: string, key: string): ObjectRef {
  return { bucket, key, segments: keySegments(key) };
}

/** S3 supports only `If-None-Match: *` on PutObject (create if absent). */
function isCreateOnly(ctx: RequestContext): boolean {
  const { headers } = ctx.req;
  if (headers['x-amz-copy-source'] !== undefined) throw s3Errors.notImplemented('CopyObject');
  if (headers['if-match'] !== undefined) throw s3Errors.notImplemented('PutObject with If-Match');
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  throw s3Errors.notImplemented(`PutObject with If-None-Match other than "*"`);
}

/** Framing, size and client-gone errors of the upload stream, as S3 errors where they are the client's. */
function uploadError(error: unknown): unknown {
  if (error instanceof AwsChunkedFormatError) {
    return error.incomplete
      ? s3Errors.incompleteBody(error.message)
      : s3Errors.invalidRequest(error.message);
  }
  if (error instanceof BodyTooLargeError) return s3Errors.entityTooLarge(error.limit);
  return error;
}

/**
 * Bodies up to this size with a known length are read into memory and written in one call:
 * cheaper than a stream pipeline, and the checks before the upload (bucket exists, key absent)
 * are left to publish(), which makes them anyway. Larger bodies stream to disk.
 */
const SMALL_BODY_BYTES = 256 * 1024;

async function readSmallBody(ctx: RequestContext, digester: BodyDigester): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    digester.update(chunk);
    chunks.push(chunk);
  }
  return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks);
}

export async function putObject(ctx: RequestContext, bucket: string, key: string): Promise<void> {
  const ref = objectRef(bucket, key);
  const exclusive = isCreateOnly(ctx);
  const plan = planUpload(ctx.req.headers);
  const fields = objectFieldsFromRequest(ctx.req.headers);
  const small =
    !plan.chunked &&
    !ctx.expectsContinue &&
    plan.declaredLength !== undefined &&
    plan.declaredLength <= SMALL_BODY_BYTES;
  if (!small) {
    await ctx.buckets.assertExists(bucket);
    // Spares uploading a large body that cannot be stored; publish() settles races for real.
    if (exclusive && (await ctx.objects.exists(ref))) {
      throw s3Errors.preconditionFailed('If-None-Match');
    }
  }
  ctx.acceptBody();

  const decoder = plan.chunked
    ? new AwsChunkedDecoder({ expectedDecodedLength: plan.declaredLength })
    : undefined;
  const digester = new BodyDigester(plan.checksum?.algorithm, MAX_OBJECT_BYTES);
  const temp = await (small
    ? readSmallBody(ctx, digester).then((data) => ctx.objects.writeTempData(data))
    : ctx.objects.writeTemp(ctx.req, [
        ...(decoder === undefined ? [] : [decoder]),
        new DigestStream(digester),
      ])
  ).catch((error: unknown) => {
    throw uploadError(error);
  });
  let checksum: ReturnType<typeof verifyUpload>;
  const measured = digester.result();
  try {
    checksum = verifyUpload(plan, measured, decoder?.trailers);
  } catch (error) {
    ctx.objects.discard(temp);
    throw error;
  }
  const info = await ctx.objects.publish(
    ref,
    temp,
    { ...fields, etag: `"${measured.md5}"`, checksum },
    exclusive,
  );
  const headers: OutgoingHttpHeaders = { etag: info.etag };
  if (checksum !== undefined) {
    headers[checksumHeaderName(checksum.algorithm)] = checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  sendEmpty(ctx.res, 200, headers);
}

/** Objects (or ranges) up to this size are read in one call rather than streamed. */
const SMALL_READ_BYTES = 1024 * 1024;

/**
 * NoSuchKey, or NoSuchBucket when the bucket itself is missing (checked only on a miss); for a
 * caller without s3:ListBucket, AccessDenied: S3 will not say whether the key exists.
 */
async function missing(ctx: RequestContext, ref: ObjectRef): Promise<never> {
  await ctx.buckets.assertExists(ref.bucket);
  throw ctx.withoutListBucket ? s3Errors.accessDenied() : s3Errors.noSuchKey(ref.key);
}

function wantsChecksum(ctx: RequestContext): boolean {
  const mode = ctx.req.headers['x-amz-checksum-mode'];
  return typeof mode === 'string' && mode.toUpperCase() === 'ENABLED';
}

export async function headObject(
  ctx: RequestContext,
  bucket: string,
  key: string,
  query: URLSearchParams,
): Promise<void> {
  const ref = objectRef(bucket, key);
  const info: ObjectInfo = (await ctx.objects.head(ref)) ?? (await missing(ctx, ref));
  const headers = objectResponseHeaders(info, { includeChecksum: wantsChecksum(ctx), query });
  ctx.res.writeHead(200, { ...headers, 'content-length': info.size });
  ctx.res.end();
}

export async function getObject(
  ctx: RequestContext,
  bucket: string,
  key: string,
  query: URLSearchParams,
): Promise<void> {
  const ref = objectRef(bucket, key);
  const opened = (await ctx.objects.open(ref)) ?? (await missing(ctx, ref));
  const { info, handle } = opened;
  let streaming = false;
  try {
    const range = parseRange(ctx.req.headers.range, info.size);
    if (range.kind === 'unsatisfiable') {
      throw s3Errors.invalidRange(info.size);
    }
    // A stored checksum covers the whole object, so a part is served without it (as S3 does).
    const whole = range.kind === 'whole';
    const headers = objectResponseHeaders(info, {
      includeChecksum: whole && wantsChecksum(ctx),
      query,
    });
    const start = whole ? 0 : range.start;
    const length = whole ? info.size : range.end - range.start + 1;
    if (!whole) headers['content-range'] = `bytes ${start}-${start + length - 1}/${info.size}`;
    const status = whole ? 200 : 206;
    if (length <= SMALL_READ_BYTES) {
      // One positional read, no stream: the common case of small JSON objects.
      const body = length === 0 ? Buffer.alloc(0) : await readRange(handle, start, length);
      ctx.res.writeHead(status, { ...headers, 'content-length': body.length });
      ctx.res.end(body);
      return;
    }
    ctx.res.writeHead(status, { ...headers, 'content-length': length });
    const stream = handle.createReadStream({ start, end: start + length - 1 });
    streaming = true; // the read stream closes the handle
    await pipeline(stream, ctx.res);
  } finally {
    if (!streaming) await handle.close();
  }
}

export async function deleteObject(
  ctx: RequestContext,
  bucket: string,
  key: string,
): Promise<void> {
  const ref = objectRef(bucket, key);
  await ctx.buckets.assertExists(bucket);
  await ctx.objects.delete(ref);
  sendEmpty(ctx.res, 204);
}
