/** Buckets as folders of the data directory. */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import type { DataLayout } from './data-layout';
import { s3Errors } from './errors';
import { hasErrnoCode } from './fs-util';
import { compareKeys } from './key-order';
import { walkKeys } from './key-walker';
import { bucketNameProblem } from './keys';

export interface BucketInfo {
  readonly name: string;
  readonly creationDate: Date;
}

export class BucketStore {
  readonly #layout: DataLayout;

  constructor(layout: DataLayout) {
    this.#layout = layout;
  }

  async exists(bucket: string): Promise<boolean> {
    try {
      return (await stat(this.#layout.bucketDir(bucket))).isDirectory();
    } catch (error) {
      if (hasErrnoCode(error, 'ENOENT', 'ENOTDIR')) return false;
      throw error;
    }
  }

  async assertExists(bucket: string): Promise<void> {
    if (!(await this.exists(bucket))) throw s3Errors.noSuchBucket(bucket);
  }

  /** Idempotent: re-creating your own bucket succeeds, as S3 does in us-east-1. */
  async create(bucket: string): Promise<void> {
    try {
      await mkdir(this.#layout.bucketDir(bucket));
    } catch (error) {
      if (hasErrnoCode(error, 'EEXIST') && (await this.exists(bucket))) return;
      throw error;
    }
  }

  /** Folders of the data directory with valid bucket names, by name. */
  async list(): Promise<BucketInfo[]> {
    const dirents = await readdir(this.#layout.dataDir, { withFileTypes: true });
    const names = dirents
      .filter((dirent) => dirent.isDirectory() && bucketNameProblem(dirent.name) === undefined)
      .map((dirent) => dirent.name)
      .sort(compareKeys);
    return Promise.all(
      names.map(async (name) => {
        const folder = await stat(this.#layout.bucketDir(name));
        // birthtime is 0 on filesystems that do not record it.
        const creationDate = folder.birthtimeMs > 0 ? folder.birthtime : folder.mtime;
        return { name, creationDate: new Date(Math.floor(creationDate.getTime() / 1000) * 1000) };
      }),
    );
  }

  async delete(bucket: string): Promise<void> {
    await this.assertExists(bucket);
    const bucketDir = this.#layout.bucketDir(bucket);
    const { value: firstKey } = await walkKeys(bucketDir, { prefix: '', after: undefined }).next();
    if (firstKey !== undefined) throw s3Errors.bucketNotEmpty(bucket);
    // Only empty folders (and stale metadata) remain.
    await rm(bucketDir, { recursive: true, force: true });
    await rm(this.#layout.bucketMetaDir(bucket), { recursive: true, force: true });
  }
}
