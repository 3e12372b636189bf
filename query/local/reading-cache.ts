/**
 * An incremental Parquet copy of the readings, keyed by object key: each refresh lists the source,
 * reads only the objects it has not cached yet (and drops those that vanished or changed), so a
 * repeated query reads nothing again and still sees what landed since.
 *
 *   <dir>/manifest.json     which segment holds which keys (replaced atomically)
 *   <dir>/seg-<uuid>.parquet the cached rows: the view's columns plus the object key
 *   <dir>/listing.json      a digest of the listing the manifest matches, and the segments: when
 *                           the source lists the same keys again, nothing else is read
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { eventsTable, parseObjectKey } from '../../model';
import { QueryError } from '../errors';
import type { ListedObject, ObjectSource } from '../sources/object-source';
import { KEY_COLUMN, quoteLiteral, selectTaggedLines, taggedLine } from './view-sql';

interface Segment {
  readonly file: string;
  readonly keys: string[];
  readonly tags: string[];
}

/** A segment as stored: keys and tags newline-joined (one string parses far faster than 100,000). */
interface StoredSegment {
  readonly file: string;
  readonly keys: string;
  readonly tags: string;
}

interface Manifest {
  readonly format: 2;
  /** The table definition the segments were written with: a change rebuilds the cache. */
  readonly schema: string;
  segments: Segment[];
}

export interface RefreshResult {
  /** Absolute paths of the segments now holding every listed reading. */
  readonly files: string[];
  readonly added: number;
  readonly removed: number;
}

/** Objects read into one segment at most (bounds memory on a first query over millions). */
const BATCH = 50_000;
/** More segments than this are merged into one. */
const MAX_SEGMENTS = 8;
/** A segment file no manifest names is removed once older than this (another process's is newer). */
const ORPHAN_AGE_MS = 10 * 60_000;

const schemaId = JSON.stringify([eventsTable.columns, eventsTable.partitionColumns]);

/** One hash over the listing in its order (a source lists in a stable order; if not, the slow path). */
function digestOf(listed: readonly ListedObject[]): string {
  const hash = createHash('sha256');
  for (let i = 0; i < listed.length; i += 10_000) {
    hash.update(
      listed
        .slice(i, i + 10_000)
        .map((o) => `${o.key}\t${o.tag}\n`)
        .join(''),
    );
  }
  return hash.digest('hex');
}

/** Identifies one version of the manifest file (another process may replace it). */
function manifestStamp(file: { mtimeMs: number; size: number; ino: number }): string {
  return `${file.ino}:${file.size}:${file.mtimeMs}`;
}

export class ReadingCache {
  constructor(
    private readonly dir: string,
    private readonly source: ObjectSource,
    private readonly db: DuckDBConnection,
  ) {}

  async refresh(): Promise<RefreshResult> {
    await mkdir(this.dir, { recursive: true });
    const listed = await this.source.list();
    const digest = digestOf(listed);
    const unchanged = await this.unchangedFiles(digest);
    if (unchanged) return { files: unchanged, added: 0, removed: 0 };

    const manifest = await this.load();
    const current = new Map(listed.map((o) => [o.key, o.tag]));

    const known = new Map<string, string>();
    const stale = new Set<string>();
    for (const segment of manifest.segments) {
      segment.keys.forEach((key, i) => {
        const tag = segment.tags[i] ?? '';
        if (current.get(key) === tag) known.set(key, tag);
        else stale.add(key);
      });
    }
    if (stale.size > 0) await this.drop(manifest, stale);
    const fresh = listed.filter((o) => !known.has(o.key));
    let added = 0;
    for (let start = 0; start < fresh.length; start += BATCH) {
      const segment = await this.write(fresh.slice(start, start + BATCH));
      if (segment) {
        manifest.segments.push(segment);
        added += segment.keys.length;
      }
    }
    if (manifest.segments.length > MAX_SEGMENTS) await this.compact(manifest);
    if (stale.size > 0 || added > 0) await this.save(manifest);
    const files = manifest.segments.map((s) => path.join(this.dir, s.file));
    await this.saveListing(digest, files);
    return { files, added, removed: stale.size };
  }

  private get listingPath(): string {
    return path.join(this.dir, 'listing.json');
  }

  /** The segments, when the manifest is the one the last refresh left and the listing is the same. */
  private async unchangedFiles(digest: string): Promise<string[] | undefined> {
    try {
      const [text, manifest] = await Promise.all([
        readFile(this.listingPath, 'utf8'),
        stat(this.manifestPath),
      ]);
      const saved = JSON.parse(text) as { digest: string; manifest: string; files: string[] };
      if (saved.digest !== digest || saved.manifest !== manifestStamp(manifest)) return undefined;
      const present = await Promise.all(
        saved.files.map((f) =>
          stat(f).then(
            () => true,
            () => false,
          ),
        ),
      );
      return present.every(Boolean) ? saved.files : undefined;
    } catch {
      return undefined; // none yet, or unreadable: the full comparison decides
    }
  }

  private async saveListing(digest: string, files: string[]): Promise<void> {
    const manifest = await stat(this.manifestPath).catch(() => undefined);
    if (!manifest) return; // nothing cached yet: nothing to remember
    const temp = path.join(this.dir, `.listing-${randomUUID()}.tmp`);
    await writeFile(temp, JSON.stringify({ digest, manifest: manifestStamp(manifest), files }));
    await rename(temp, this.listingPath);
  }

  private async load(): Promise<Manifest> {
    const empty: Manifest = { format: 2, schema: schemaId, segments: [] };
    let stored: { format: unknown; schema: unknown; segments: StoredSegment[] };
    try {
      stored = JSON.parse(await readFile(this.manifestPath, 'utf8'));
    } catch {
      return empty; // none yet, or unreadable: start over
    }
    if (stored.format !== 2 || stored.schema !== schemaId || !Array.isArray(stored.segments)) {
      await this.removeOrphans(new Set(), 0);
      return empty;
    }
    const parsed: Manifest = {
      ...empty,
      segments: stored.segments.map((s) => {
        const keys = s.keys === '' ? [] : s.keys.split('\n');
        return {
          file: s.file,
          keys,
          tags: s.tags === '' ? keys.map(() => '') : s.tags.split('\n'),
        };
      }),
    };
    const present = await Promise.all(
      parsed.segments.map((s) =>
        stat(path.join(this.dir, s.file)).then(
          () => true,
          () => false,
        ),
      ),
    );
    // A segment removed by hand (or by another process's compaction) is read again.
    return { ...parsed, segments: parsed.segments.filter((_, i) => present[i]) };
  }

  private get manifestPath(): string {
    return path.join(this.dir, 'manifest.json');
  }

  private async save(manifest: Manifest): Promise<void> {
    const temp = path.join(this.dir, `.manifest-${randomUUID()}.tmp`);
    const segments: StoredSegment[] = manifest.segments.map((s) => ({
      file: s.file,
      keys: s.keys.join('\n'),
      tags: s.tags.every((t) => t === '') ? '' : s.tags.join('\n'),
    }));
    await writeFile(temp, JSON.stringify({ ...manifest, segments }));
    await rename(temp, this.manifestPath);
  }

  /** Reads the objects and writes them as one segment; undefined when none is left to read. */
  private async write(objects: readonly ListedObject[]): Promise<Segment | undefined> {
    const bodies = await this.source.read(objects.map((o) => o.key));
    const lines: string[] = [];
    const segment: Segment = { file: `seg-${randomUUID()}.parquet`, keys: [], tags: [] };
    objects.forEach((object, i) => {
      const body = bodies[i];
      const partition = parseObjectKey(object.key);
      if (body === undefined || partition === undefined) return; // vanished since the listing
      const line = taggedLine(object.key, partition, body);
      if (line === undefined) {
        throw new QueryError(
          `object ${object.key} in ${this.source.description} is not a JSON object; Athena would fail on it too. Remove or fix it.`,
        );
      }
      lines.push(line);
      segment.keys.push(object.key);
      segment.tags.push(object.tag);
    });
    if (lines.length === 0) return undefined;
    const staging = path.join(this.dir, `.staging-${randomUUID()}.ndjson`);
    const temp = path.join(this.dir, `.${segment.file}.tmp`);
    try {
      await writeFile(staging, `${lines.join('\n')}\n`);
      await this.db.run(
        `COPY (${selectTaggedLines(staging)}) TO ${quoteLiteral(temp)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      await rename(temp, path.join(this.dir, segment.file));
    } catch (error) {
      throw this.explain(error, segment.keys, lines);
    } finally {
      await rm(staging, { force: true });
      await rm(temp, { force: true });
    }
    return segment;
  }

  /** A read error names the object: JSON that does not parse, or a value of the wrong type. */
  private explain(error: unknown, keys: readonly string[], lines: readonly string[]): unknown {
    // DuckDB's errors may come from another realm (jest): read the message, not the class.
    const message = (error as { message?: unknown } | undefined)?.message;
    if (typeof message !== 'string' || !/JSON|Conversion|Could not convert/i.test(message)) {
      return error;
    }
    const bad = lines.findIndex((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
    const which = bad >= 0 ? `object ${keys[bad]}` : 'an object';
    return new QueryError(
      `${which} in ${this.source.description} does not fit the table (${message.split('\n')[0]?.replace(/ in file "[^"]*"/, '')}); Athena would fail on it too. Remove or fix it.`,
      { cause: error },
    );
  }

  /** Rewrites the segments holding stale keys without them. */
  private async drop(manifest: Manifest, stale: ReadonlySet<string>): Promise<void> {
    const kept: Segment[] = [];
    for (const segment of manifest.segments) {
      const keep = segment.keys.map((k) => !stale.has(k));
      if (keep.every(Boolean)) {
        kept.push(segment);
        continue;
      }
      const rewritten: Segment = {
        file: `seg-${randomUUID()}.parquet`,
        keys: segment.keys.filter((_, i) => keep[i]),
        tags: segment.tags.filter((_, i) => keep[i]),
      };
      if (rewritten.keys.length > 0) {
        const gone = segment.keys.filter((k) => stale.has(k)).map(quoteLiteral);
        await this.copySegments(
          [segment.file],
          rewritten.file,
          `WHERE ${KEY_COLUMN} NOT IN (${gone.join(', ')})`,
        );
        kept.push(rewritten);
      }
      await rm(path.join(this.dir, segment.file), { force: true });
    }
    manifest.segments = kept;
  }

  /** Merges every segment into one. */
  private async compact(manifest: Manifest): Promise<void> {
    const merged: Segment = {
      file: `seg-${randomUUID()}.parquet`,
      keys: manifest.segments.flatMap((s) => s.keys),
      tags: manifest.segments.flatMap((s) => s.tags),
    };
    const old = manifest.segments.map((s) => s.file);
    await this.copySegments(old, merged.file, '');
    manifest.segments = [merged];
    await this.save(manifest);
    await Promise.all(old.map((file) => rm(path.join(this.dir, file), { force: true })));
    await this.removeOrphans(new Set([merged.file]), ORPHAN_AGE_MS);
  }

  private async copySegments(from: readonly string[], to: string, where: string): Promise<void> {
    const list = from.map((f) => quoteLiteral(path.join(this.dir, f))).join(', ');
    const temp = path.join(this.dir, `.${to}.tmp`);
    await this.db.run(
      `COPY (SELECT * FROM read_parquet([${list}]) ${where}) TO ${quoteLiteral(temp)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await rename(temp, path.join(this.dir, to));
  }

  private async removeOrphans(keep: ReadonlySet<string>, minAgeMs: number): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(this.dir)) {
      if (!name.startsWith('seg-') || keep.has(name)) continue;
      const file = path.join(this.dir, name);
      const age = await stat(file).then(
        (s) => now - s.mtimeMs,
        () => -1,
      );
      if (age >= minAgeMs) await rm(file, { force: true });
    }
  }
}
