/**
 * The metadata record kept next to each object (in the .meta tree), and what an object looks like
 * to clients. A record holds entries, each naming the file it describes (inode, size, mtime): a
 * PUT writes the new object's entry (keeping the current object's) BEFORE the object file takes
 * the key in one rename/link, so at every instant the file under the key has its entry, and a
 * crash anywhere leaves the old object or the whole new one. A file without a matching entry
 * (dropped in by hand, edited in place) is described from the file alone.
 */
import { type BigIntStats, writeFileSync } from 'node:fs';
import { lstat, mkdir, open, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import * as z from 'zod';
import { CHECKSUM_ALGORITHMS } from './checksums';
import { hasErrnoCode, NOT_A_FILE } from './fs-util';

const fileIdentitySchema = z.object({ ino: z.string(), size: z.number(), mtimeNs: z.string() });
type FileIdentity = z.infer<typeof fileIdentitySchema>;

const entrySchema = z.object({
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
export type StoredMeta = z.infer<typeof entrySchema>;

/** Version 1 (before crash-safe writes) held one entry, written after the object; still read. */
const recordSchema = z.union([
  entrySchema.extend({ version: z.literal(1) }),
  z.object({ version: z.literal(2), entries: z.array(entrySchema).min(1) }),
]);

/**
 * Entries kept per record: the new object's, the one it replaces, and a spare for a writer in
 * another process. Older entries describe files that can no longer be under the key.
 */
const MAX_ENTRIES = 3;

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
  return { file: fileIdentity(stat), lastModified: lastModified.toISOString(), ...object };
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

/** The object as clients see it: from the record's entry for this very file, if it has one. */
export function describeObject(stat: BigIntStats, entries: readonly StoredMeta[]): ObjectInfo {
  const identity = fileIdentity(stat);
  const meta = entries.find((entry) => sameFile(entry.file, identity));
  if (meta !== undefined) {
    const { etag, contentType, headers, userMetadata, checksum } = meta;
    return {
      size: identity.size,
      lastModified: new Date(meta.lastModified),
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

/** The entries of the record at `path`; none when there is no record or it cannot be read as one. */
export async function readMeta(path: string): Promise<StoredMeta[]> {
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
    if (hasErrnoCode(error, ...NOT_A_FILE)) return [];
    throw error;
  }
  try {
    const parsed = recordSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return [];
    if (parsed.data.version === 2) return parsed.data.entries;
    const { version: _version, ...entry } = parsed.data;
    return [entry];
  } catch {
    return []; // cut short by a crash before its object was published: it describes nothing
  }
}

/** Where a record goes, and what to check before clearing stale records out of its way. */
export interface RecordTarget {
  readonly path: string;
  /** The bucket's folder in the .meta tree. */
  readonly root: string;
  /**
   * Throws when the object tree makes the key impossible (a key conflict) or has no bucket, so
   * records of live objects in the way are never removed; called only on a path error.
   */
  readonly assertPlaceable: () => Promise<void>;
}

/**
 * Records `entry` for a new object about to take the key, keeping the current object's entry.
 * A key without a record (the common case, and every conditional create) gets one in a single
 * exclusive create; otherwise the record is replaced by rename from `tempPath`, so a crash leaves
 * the old record or the new one.
 */
export async function recordNewObject(
  target: RecordTarget,
  entry: StoredMeta,
  tempPath: string,
  /** Runs when the key has a record already, before it is replaced; may throw to stop the PUT. */
  beforeReplace: () => Promise<void>,
): Promise<void> {
  const text = JSON.stringify({ version: 2, entries: [entry] });
  const created = await withPathRepair(target, async () => {
    try {
      writeFileSync(target.path, text, { flag: 'wx' }); // synchronous: object-store.ts says why
      return true;
    } catch (error) {
      if (hasErrnoCode(error, 'EEXIST')) return false;
      throw error;
    }
  });
  if (created) return;
  await beforeReplace();
  const kept = (await readMeta(target.path)).filter((old) => !sameFile(old.file, entry.file));
  const entries = [entry, ...kept].slice(0, MAX_ENTRIES);
  await writeFile(tempPath, JSON.stringify({ version: 2, entries }), { flag: 'wx' });
  try {
    await withPathRepair(target, () => rename(tempPath, target.path));
  } catch (error) {
    await unlink(tempPath).catch(() => undefined);
    throw error;
  }
}

/**
 * Runs a write at `target.path`, repairing what stands in its way: missing folders, and records
 * left by objects that no longer exist where a folder must go (or the reverse). The object tree
 * is the truth, so those are removed once it confirms the key is placeable.
 */
async function withPathRepair<T>(target: RecordTarget, write: () => Promise<T>): Promise<T> {
  const { path, root } = target;
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 4 || !hasErrnoCode(error, 'ENOENT', 'EISDIR', 'ENOTDIR', 'ENOTEMPTY')) {
        throw error;
      }
      await target.assertPlaceable();
      if (hasErrnoCode(error, 'ENOENT')) await mkdirClearing(dirname(path), root);
      else if (hasErrnoCode(error, 'ENOTDIR')) await removeFileAncestor(path, root);
      else await rm(path, { recursive: true, force: true });
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
