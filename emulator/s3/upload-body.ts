/**
 * How a PutObject body arrives and how to check it: plain or aws-chunked framing (decided by
 * x-amz-content-sha256 STREAMING-*, as S3 does; `Content-Encoding: aws-chunked` alone is only a
 * label), the flexible checksum in a header or a trailer, and Content-MD5.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  CHECKSUM_ALGORITHMS,
  type Checksum,
  type ChecksumAlgorithm,
  checksumAlgorithmOf,
  checksumHeaderName,
} from './checksums';
import type { BodyDigest } from './digest-stream';
import { s3Errors } from './errors';

export interface UploadPlan {
  /** The body is aws-chunked framed and must be decoded. */
  readonly chunked: boolean;
  /** x-amz-decoded-content-length (framed bodies), else Content-Length. */
  readonly declaredLength: number | undefined;
  /** The checksum to compute, and where its expected value is. */
  readonly checksum:
    | { readonly algorithm: ChecksumAlgorithm; readonly expected: string }
    | { readonly algorithm: ChecksumAlgorithm; readonly trailer: string }
    | undefined;
  /** Content-MD5 as hex. */
  readonly md5: string | undefined;
}

/** S3's limit for one PutObject. */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 3;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseLength(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,16}$/.test(value))
    throw s3Errors.invalidArgument(`${name} must be a whole number of bytes.`, name, value);
  const length = Number(value);
  if (length > MAX_OBJECT_BYTES) throw s3Errors.entityTooLarge(MAX_OBJECT_BYTES);
  return length;
}

export function planUpload(headers: IncomingHttpHeaders): UploadPlan {
  const chunked = (header(headers, 'x-amz-content-sha256') ?? '').startsWith('STREAMING-');
  const declaredLength = chunked
    ? parseLength(header(headers, 'x-amz-decoded-content-length'), 'x-amz-decoded-content-length')
    : parseLength(header(headers, 'content-length'), 'Content-Length');
  return {
    chunked,
    declaredLength,
    checksum: planChecksum(headers, chunked),
    md5: planMd5(headers),
  };
}

function planChecksum(headers: IncomingHttpHeaders, chunked: boolean): UploadPlan['checksum'] {
  const inHeaders = CHECKSUM_ALGORITHMS.filter((a) => headers[checksumHeaderName(a)] !== undefined);
  if (inHeaders.length > 1) {
    throw s3Errors.invalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const trailer = header(headers, 'x-amz-trailer')?.trim().toLowerCase();
  const declared = header(headers, 'x-amz-sdk-checksum-algorithm');
  const [algorithm] = inHeaders;
  if (algorithm !== undefined) {
    return { algorithm, expected: header(headers, checksumHeaderName(algorithm)) ?? '' };
  }
  if (trailer !== undefined && trailer !== '') {
    const trailerAlgorithm = checksumAlgorithmOf(trailer);
    if (!chunked || trailerAlgorithm === undefined || !trailer.startsWith('x-amz-checksum-')) {
      throw s3Errors.invalidRequest(
        `The value specified in the x-amz-trailer header is not supported: "${trailer}" ` +
          '(only x-amz-checksum-* trailers of aws-chunked bodies are).',
      );
    }
    return { algorithm: trailerAlgorithm, trailer };
  }
  if (declared !== undefined && checksumAlgorithmOf(declared) !== undefined) {
    throw s3Errors.invalidRequest(
      `x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.`,
    );
  }
  return undefined;
}

function planMd5(headers: IncomingHttpHeaders): string | undefined {
  const value = header(headers, 'content-md5');
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== value)
    throw s3Errors.invalidDigest('Content-MD5');
  return bytes.toString('hex');
}

/**
 * Checks the received body against what the client declared; returns the verified checksum to
 * store with the object (S3 returns it on later reads).
 */
export function verifyUpload(
  plan: UploadPlan,
  digest: BodyDigest,
  trailers: ReadonlyMap<string, string> | undefined,
): Checksum | undefined {
  if (plan.declaredLength !== undefined && plan.declaredLength !== digest.bytes) {
    throw s3Errors.incompleteBody(
      `You did not provide the number of bytes specified by the Content-Length HTTP header ` +
        `(expected ${plan.declaredLength}, received ${digest.bytes}).`,
    );
  }
  if (plan.md5 !== undefined && plan.md5 !== digest.md5) throw s3Errors.badDigest('Content-MD5');
  const { checksum } = plan;
  if (checksum === undefined || digest.checksum === undefined) return undefined;
  let expected: string | undefined;
  if ('expected' in checksum) {
    expected = checksum.expected;
  } else {
    expected = trailers?.get(checksum.trailer);
    if (expected === undefined) {
      throw s3Errors.malformedTrailer(
        `The body did not end with the ${checksum.trailer} trailer that x-amz-trailer announced.`,
      );
    }
  }
  if (expected !== digest.checksum) throw s3Errors.badDigest(checksum.algorithm);
  return { algorithm: checksum.algorithm, value: digest.checksum };
}
