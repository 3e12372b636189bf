/**
 * The metadata file kept next to each object (in the .meta tree), and what an object looks like
 * to clients. The record names the file it describes (inode, size, mtime); when the object file
 * was replaced or edited outside the emulator, or the process stopped between writing the object
 * and its record, the record is ignored and the object is described from the file alone.
 */
import type { BigIntStats } from 'node:fs';
import { lstat, mkdir, open, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import * as z from 'zod';
import { CHECKSUM_ALGORITHMS } from './checksums';
import { hasErrnoCode, NOT_A_FILE } from './fs-util';

const fileIdentitySchema = z.object({ ino: z.string(), size: z.number(), mtimeNs: z.string() });
type FileIdentity = z.infer<typeof fileIdentitySchema>;

const storedMetaSchema = z.object({
  version: z.literal(1),
  file: fileIdentitySchema,
  etag: z.string(),
  lastModified: z.iso.datetime(),
  contentType: z.string(),
  /** Standard headers stored with the object: cache-control, content-disposition... */
  headers: z.record(z.string(), z.string()),
  /** x-amz-meta-* headers, names lower-case without the prefix. */
  userMetadata: z.record(z.string(), z.string()),
  checksum: z.object({ algorithm: z.enum(CHECKSUM_ALGORITHMS), value: z.string() }).optional(),
});
export type StoredMeta = z.infer<typeof storedMetaSchema>;

/** What the client said about a new object, plus its ETag. */
export type NewObject = Pick<
  StoredMeta,
  'etag' | 'contentType' | 'headers' | 'userMetadata' | 'checksum'
>;

export interface ObjectInfo extends NewObject {
  readonly size: number;
  readonly lastModified: Date;
}

/** S3's default for objects stored without a Content-Type. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

export function fileIdentity(stat: BigIntStats): FileIdentity {
  return { ino: stat.ino.toString(), size: Number(stat.size), mtimeNs: stat.mtimeNs.toString() };
}

export function storedMeta(stat: BigIntStats, object: NewObject, lastModified: Date): StoredMeta {
  return {
    version: 1,
    file: fileIdentity(stat),
    lastModified: lastModified.toISOString(),
    ...object,
  };
}

/** The object as clients see it: from its record when that describes this very file. */
export function describeObject(stat: BigIntStats, meta: StoredMeta | undefined): ObjectInfo {
  const identity = fileIdentity(stat);
  const current =
    meta !== undefined &&
    meta.file.ino === identity.ino &&
    meta.file.size === identity.size &&
    meta.file.mtimeNs === identity.mtimeNs;
  if (current) {
    const { etag, contentType, headers, userMetadata, checksum } = meta;
    const lastModified = new Date(meta.lastModified);
    return {
      size: identity.size,
      lastModified,
      etag,
      contentType,
      headers,
      userMetadata,
      checksum,
    };
  }
  return {
    size: identity.size,
    lastModified: new Date(Number(stat.mtimeMs / 1000n) * 1000),
    etag: `"${stat.mtimeNs.toString(16)}-${stat.size.toString(16)}"`,
    contentType: DEFAULT_CONTENT_TYPE,
    headers: {},
    userMetadata: {},
    checksum: undefined,
  };
}

/** Records are small; one read of this size gets all of a typical one. */
const META_READ_BYTES = 8192;

/** The record at `path`, or undefined when there is none or it cannot be read as one. */
export async function readMeta(path: string): Promise<StoredMeta | undefined> {
  let text: string;
  try {
    // open + one read + close: cheaper than readFile, which also stats the file.
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.allocUnsafe(META_READ_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, META_READ_BYTES, 0);
      text =
        bytesRead < META_READ_BYTES
          ? buffer.toString('utf8', 0, bytesRead)
          : await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (hasErrnoCode(error, ...NOT_A_FILE)) return undefined;
    throw error;
  }
  try {
    const parsed = storedMetaSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // truncated by a crash mid-write: the object falls back to its file
  }
}

/**
 * Writes the record, creating folders as needed. Records left by objects that no longer exist
 * can stand where a folder must go (or the reverse); the object tree is the truth, so they are
 * removed.
 */
export async function writeMeta(path: string, root: string, meta: StoredMeta): Promise<void> {
  const text = JSON.stringify(meta);
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, text);
      return;
    } catch (error) {
      if (attempt >= 4) throw error;
      if (hasErrnoCode(error, 'ENOENT')) await mkdirClearing(dirname(path), root);
      else if (hasErrnoCode(error, 'EISDIR')) await rm(path, { recursive: true, force: true });
      else if (hasErrnoCode(error, 'ENOTDIR')) await removeFileAncestor(path, root);
      else throw error;
    }
  }
}

async function mkdirClearing(dir: string, root: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    if (!hasErrnoCode(error, 'ENOTDIR', 'EEXIST')) throw error;
    await removeFileAncestor(join(dir, 'x'), root);
    await mkdir(dir, { recursive: true });
  }
}

/** Unlinks the first ancestor of `path` below `root` that is a file rather than a folder. */
async function removeFileAncestor(path: string, root: string): Promise<void> {
  const parts = relative(root, dirname(path)).split(sep);
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    const stat = await lstat(current).catch(() => undefined);
    if (stat === undefined) return;
    if (!stat.isDirectory()) {
      await unlink(current);
      return;
    }
  }
}
