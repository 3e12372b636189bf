/**
 * Where things live under the data directory:
 *   <dataDir>/<bucket>/<key>          the object, exactly the uploaded bytes
 *   <dataDir>/.meta/<bucket>/<key>    its metadata as JSON (content type, ETag, user metadata...)
 *   <dataDir>/.tmp/<pid>-<uuid>       uploads and records in progress, published by rename or
 *                                      link; named by process, so a restart removes only what
 *                                      dead processes left (another endpoint may share the dir)
 * The metadata tree mirrors the object tree name for name (no suffix), so any set of keys that
 * fits as files also fits there. Names starting with "." are never valid buckets, so neither
 * folder can be mistaken for one.
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';

export class DataLayout {
  readonly dataDir: string;
  readonly tempDir: string;
  readonly #metaRoot: string;

  constructor(dataDir: string) {
    this.dataDir = resolve(dataDir);
    this.tempDir = join(this.dataDir, '.tmp');
    this.#metaRoot = join(this.dataDir, '.meta');
  }

  bucketDir(bucket: string): string {
    return join(this.dataDir, bucket);
  }

  bucketMetaDir(bucket: string): string {
    return join(this.#metaRoot, bucket);
  }

  /** Segments come from keySegments(), which refuses anything that could leave the bucket. */
  objectPath(bucket: string, segments: readonly string[]): string {
    return join(this.dataDir, bucket, ...segments);
  }

  metaPath(bucket: string, segments: readonly string[]): string {
    return join(this.#metaRoot, bucket, ...segments);
  }

  newTempPath(): string {
    return join(this.tempDir, `${process.pid}-${randomUUID()}`);
  }

  /** The process that made a temp file, from its name; undefined for other names. */
  static tempFileOwner(name: string): number | undefined {
    const match = /^(\d+)-/.exec(name);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  }
}
