/**
 * Objects as plain files. An upload is streamed to a private temp file; its metadata record is
 * written next (see object-meta.ts: it names the temp file's inode, which the object keeps); then
 * the file takes the key in one step: rename() for a plain put, link() for a put with
 * If-None-Match: * (link fails with EEXIST when the key exists, so of concurrent conditional puts
 * exactly one wins, even across processes). That step is the commit: a reader, or a restart after
 * SIGKILL at any instant, sees no object or the whole one with its metadata.
 *
 * A small PUT costs 9 file-system calls (temp: open, write, fstat, close; record: open, write,
 * close; link; unlink). Nothing is fsynced: the store survives the process dying (SIGKILL, OOM,
 * a crash), as written data stays in the OS page cache; a power cut or kernel crash can lose the
 * last writes, the trade a local emulator makes for not waiting on the disk at every PUT.
 *
 * Those calls are synchronous: through the promise API and the thread pool the same calls cost
 * the process about twice the CPU (bench/RESULTS.md, "Second round: emulator"). Only bodies over
 * SMALL_BODY_BYTES and the rare repair paths use the thread pool. The trade: while the kernel
 * creates a file the event loop waits, which a data directory on a slow network file system
 * would make long.
 */
import {
  type BigIntStats,
  closeSync,
  constants,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { type FileHandle, lstat, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataLayout } from './data-layout';
import { s3Errors } from './errors';
import {
  hasErrnoCode,
  NOT_A_FILE,
  pruneEmptyParents,
  unlinkIfPresent,
  unlinkIfPresentSync,
} from './fs-util';
import { KeyLock } from './key-lock';
import {
  describeObject,
  type NewObject,
  type ObjectInfo,
  readMeta,
  recordNewObject,
  storedMeta,
} from './object-meta';

/** An upload on disk, not yet visible under any key. */
export interface TempObject {
  readonly path: string;
  /** Its inode, size and mtime: the object keeps them when it takes the key. */
  readonly stat: BigIntStats;
}

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  /** From keySegments(): safe to join under the bucket folder. */
  readonly segments: readonly string[];
}

export interface OpenedObject {
  readonly info: ObjectInfo;
  /** Open on the object's file: later puts replace the name, never these bytes. Caller closes. */
  readonly handle: FileHandle;
}

const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);
const MAX_PUBLISH_ATTEMPTS = 5;

export class ObjectStore {
  readonly #layout: DataLayout;
  readonly #lock = new KeyLock();

  constructor(layout: DataLayout) {
    this.#layout = layout;
  }

  /** Whether a regular file holds the key now (a cheap early check; publish decides for real). */
  async exists(ref: ObjectRef): Promise<boolean> {
    try {
      // lstat: a symlink is never an object (GetObject does not follow them either).
      return (await lstat(this.#objectPath(ref))).isFile();
    } catch (error) {
      if (hasErrnoCode(error, ...NOT_A_FILE)) return false;
      throw error;
    }
  }

  /** Streams the body through the transforms into a temp file; removes it if anything fails. */
  async writeTemp(body: Readable, transforms: readonly Transform[]): Promise<TempObject> {
    const path = this.#layout.newTempPath();
    const handle = await open(path, 'wx').catch(async (error: unknown) => {
      if (!hasErrnoCode(error, 'ENOENT')) throw error;
      await mkdir(this.#layout.tempDir, { recursive: true }); // someone removed .tmp meanwhile
      return open(path, 'wx');
    });
    try {
      await pipeline([body, ...transforms, handle.createWriteStream()]);
      return { path, stat: await stat(path, { bigint: true }) };
    } catch (error) {
      await unlinkIfPresent(path);
      throw error;
    }
  }

  /** A small body already in memory, written to a temp file with synchronous calls (see above). */
  writeTempData(data: Buffer): TempObject {
    const path = this.#layout.newTempPath();
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if (!hasErrnoCode(error, 'ENOENT')) throw error;
      mkdirSync(this.#layout.tempDir, { recursive: true }); // someone removed .tmp meanwhile
      fd = openSync(path, 'wx');
    }
    try {
      for (let written = 0; written < data.length; ) {
        written += writeSync(fd, data, written, data.length - written);
      }
      return { path, stat: fstatSync(fd, { bigint: true }) };
    } catch (error) {
      unlinkIfPresentSync(path); // a write that failed part-way (disk full) leaves no temp file
      throw error;
    } finally {
      closeSync(fd);
    }
  }

  discard(temp: TempObject): void {
    unlinkIfPresentSync(temp.path);
  }

  /**
   * Makes the temp file the object at `ref`, with its metadata. `exclusive` is If-None-Match: *
   * (412 PreconditionFailed when the key exists). The temp file is gone afterwards either way.
   */
  async publish(
    ref: ObjectRef,
    temp: TempObject,
    object: NewObject,
    exclusive: boolean,
  ): Promise<ObjectInfo> {
    const path = this.#objectPath(ref);
    let renamed = false;
    try {
      // S3 reports modification times to the second.
      const lastModified = new Date(Math.floor(Date.now() / 1000) * 1000);
      const meta = storedMeta(temp.stat, object, lastModified);
      return await this.#lock.run(lockKey(ref), async () => {
        // The record first, the object's file last: the file taking the key is the commit.
        await recordNewObject(
          {
            path: this.#layout.metaPath(ref.bucket, ref.segments),
            root: this.#layout.bucketMetaDir(ref.bucket),
            assertPlaceable: () => this.#assertPlaceable(ref, exclusive),
          },
          meta,
          `${this.#layout.newTempPath()}.record`,
          async () => {
            // A conditional put to a taken key fails before it touches the record.
            if (exclusive && (await this.exists(ref))) {
              throw s3Errors.preconditionFailed('If-None-Match');
            }
          },
        );
        await this.#placeFile(ref, temp.path, path, exclusive);
        renamed = !exclusive;
        return describeObject(temp.stat, [meta]);
      });
    } finally {
      // After link() the temp name remains; after rename() it is gone.
      if (!renamed) this.discard(temp);
    }
  }

  /** The object opened for reading, or undefined when the key holds no object. */
  async open(ref: ObjectRef): Promise<OpenedObject | undefined> {
    return this.#lock.run(lockKey(ref), async () => {
      let handle: FileHandle;
      try {
        handle = await open(this.#objectPath(ref), READ_FLAGS);
      } catch (error) {
        if (hasErrnoCode(error, ...NOT_A_FILE)) return undefined;
        throw error;
      }
      try {
        const info = await this.#describe(ref, await handle.stat({ bigint: true }));
        if (info !== undefined) return { info, handle };
        await handle.close();
        return undefined;
      } catch (error) {
        await handle.close();
        throw error;
      }
    });
  }

  async head(ref: ObjectRef): Promise<ObjectInfo | undefined> {
    return this.#lock.run(lockKey(ref), async () => {
      let fileStat: BigIntStats;
      try {
        fileStat = await lstat(this.#objectPath(ref), { bigint: true });
      } catch (error) {
        if (hasErrnoCode(error, ...NOT_A_FILE)) return undefined;
        throw error;
      }
      return this.#describe(ref, fileStat);
    });
  }

  /** Removes the object and its record; a missing key is not an error (S3 answers 204). */
  async delete(ref: ObjectRef): Promise<void> {
    const path = this.#objectPath(ref);
    const metaPath = this.#layout.metaPath(ref.bucket, ref.segments);
    await this.#lock.run(lockKey(ref), async () => {
      if (!(await this.exists(ref))) return; // a folder of other keys is not this key
      await unlinkIfPresent(path);
      await unlinkIfPresent(metaPath);
    });
    await pruneEmptyParents(path, this.#layout.bucketDir(ref.bucket));
    await pruneEmptyParents(metaPath, this.#layout.bucketMetaDir(ref.bucket));
  }

  async #describe(ref: ObjectRef, fileStat: BigIntStats): Promise<ObjectInfo | undefined> {
    if (!fileStat.isFile()) return undefined;
    const entries = await readMeta(this.#layout.metaPath(ref.bucket, ref.segments));
    return describeObject(fileStat, entries);
  }

  /**
   * Before records in the way of a new one are cleared: the bucket exists, the key is not taken
   * by a folder of other keys nor under a file (key "a" when putting "a/b"), and for a
   * conditional put the key is free. Runs only when writing the record met a path error.
   */
  async #assertPlaceable(ref: ObjectRef, exclusive: boolean): Promise<void> {
    if (!(await isDirectory(this.#layout.bucketDir(ref.bucket)))) {
      throw s3Errors.noSuchBucket(ref.bucket);
    }
    const path = this.#objectPath(ref);
    await mkdir(dirname(path), { recursive: true }).catch((error: unknown) => {
      if (hasErrnoCode(error, 'ENOTDIR', 'EEXIST')) throw s3Errors.keyConflict(ref.key);
      throw error;
    });
    if (await isDirectory(path)) throw s3Errors.keyConflict(ref.key);
    if (exclusive && (await this.exists(ref))) throw s3Errors.preconditionFailed('If-None-Match');
  }

  /**
   * rename()/link() the temp file to `path`, creating parent folders. A delete can prune a
   * freshly made parent folder in between (ENOENT), hence the retries.
   */
  async #placeFile(ref: ObjectRef, from: string, path: string, exclusive: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (exclusive) linkSync(from, path);
        else renameSync(from, path);
        return;
      } catch (error) {
        if (hasErrnoCode(error, 'ENOENT') && attempt < MAX_PUBLISH_ATTEMPTS) {
          // Checked only now, so the common put costs no extra call for it.
          if (!(await isDirectory(this.#layout.bucketDir(ref.bucket)))) {
            throw s3Errors.noSuchBucket(ref.bucket);
          }
          await mkdir(dirname(path), { recursive: true }).catch((mkdirError: unknown) => {
            // A file stands where a folder must go: key "a" exists and this is "a/b".
            if (hasErrnoCode(mkdirError, 'ENOTDIR', 'EEXIST')) throw s3Errors.keyConflict(ref.key);
            throw mkdirError;
          });
          continue;
        }
        if (hasErrnoCode(error, 'EEXIST') && exclusive) {
          if (await this.exists(ref)) throw s3Errors.preconditionFailed('If-None-Match');
          throw s3Errors.keyConflict(ref.key); // a folder of other keys stands there
        }
        if (hasErrnoCode(error, 'EISDIR', 'ENOTDIR', 'ENOTEMPTY', 'EEXIST')) {
          throw s3Errors.keyConflict(ref.key);
        }
        throw error;
      }
    }
  }

  #objectPath(ref: ObjectRef): string {
    return this.#layout.objectPath(ref.bucket, ref.segments);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (hasErrnoCode(error, 'ENOENT', 'ENOTDIR')) return false;
    throw error;
  }
}

/** `length` bytes from `position` of an open file, in as few reads as the OS allows. */
export async function readRange(
  handle: FileHandle,
  position: number,
  length: number,
): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) return buffer.subarray(0, filled); // truncated meanwhile by someone else
    filled += bytesRead;
  }
  return buffer;
}

function lockKey(ref: ObjectRef): string {
  return `${ref.bucket}/${ref.key}`;
}
