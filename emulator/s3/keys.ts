/**
 * Which bucket names and object keys can live on disk, and their path segments. Everything that
 * reaches the filesystem passes through here, so a key can never name a file outside its bucket.
 * Stricter than S3 on purpose: S3 stores keys like `a/../b` or `a//b` as opaque strings, but here
 * they would alias or escape other files, so they are refused with 400.
 */
import { s3Errors } from './errors';

const MAX_KEY_BYTES = 1024;
/** Most filesystems limit one name to 255 bytes; metadata files add nothing to the name. */
const MAX_SEGMENT_BYTES = 255;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4_LIKE = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Returns undefined for a valid S3 bucket name, else why it is not one. */
export function bucketNameProblem(name: string): string | undefined {
  if (!BUCKET_NAME.test(name)) {
    return 'use 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit';
  }
  if (name.includes('..')) return 'two adjacent periods are not allowed';
  if (IPV4_LIKE.test(name)) return 'a bucket name must not look like an IP address';
  return undefined;
}

export function assertBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem !== undefined) throw s3Errors.invalidBucketName(name, problem);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and control characters are refused
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');
// Characters Windows cannot have in a file name; refused there only.
const WINDOWS_RESERVED = /[<>:"|?*]/;

/**
 * The path segments of an object key, or a 400 S3Error saying why the key cannot be a file:
 * empty segments (leading, trailing or double `/`), `.` and `..`, backslashes, NUL and other
 * control characters, and names longer than a filesystem allows.
 */
export function keySegments(key: string, platform: NodeJS.Platform = process.platform): string[] {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes === 0) throw s3Errors.invalidArgument('The object key must not be empty.', 'key', key);
  if (bytes > MAX_KEY_BYTES) throw s3Errors.keyTooLong(bytes);
  const refuse = (why: string) =>
    s3Errors.invalidArgument(
      `Object key "${printable(key)}" cannot be stored as a file: ${why}. Keys must be relative ` +
        'paths of non-empty segments separated by "/", without "." or ".." segments, ' +
        'backslashes or control characters.',
      'key',
      printable(key),
    );
  if (CONTROL_CHARACTER.test(key)) throw refuse('it contains a control character');
  if (key.includes('\\')) throw refuse('it contains a backslash');
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment === '') throw refuse('it has an empty segment (a leading, trailing or double "/")');
    if (segment === '.' || segment === '..') throw refuse(`it has a "${segment}" segment`);
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      throw refuse(`a segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
    }
    if (platform === 'win32' && (WINDOWS_RESERVED.test(segment) || /[. ]$/.test(segment))) {
      throw refuse('a segment is not a valid Windows file name');
    }
  }
  return segments;
}

/** The key with control characters made visible, for error messages. */
function printable(key: string): string {
  return key.replace(
    CONTROL_CHARACTERS,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
