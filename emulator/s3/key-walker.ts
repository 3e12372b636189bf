/**
 * Walks a bucket folder and yields its keys in S3 order (UTF-8 byte order), visiting only the
 * folders that can hold keys with the prefix and after the start key. Listing a page therefore
 * reads a few folders, not the whole bucket, however many objects it holds.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrnoCode } from './fs-util';
import { compareKeys } from './key-order';

export interface WalkOptions {
  /** Only keys starting with this. */
  readonly prefix: string;
  /** Only keys sorting after this one. */
  readonly after: string | undefined;
}

/** Set by the consumer while walking: keys starting with it are skipped (a CommonPrefix). */
export interface WalkControl {
  skipPrefix: string | undefined;
}

interface Entry {
  readonly name: string;
  readonly directory: boolean;
  /** The key (file) or key prefix ending in "/" (folder) this entry stands for. */
  readonly key: string;
}

export async function* walkKeys(
  root: string,
  options: WalkOptions,
  control: WalkControl = { skipPrefix: undefined },
): AsyncGenerator<string> {
  yield* walkFolder(root, '', options, control);
}

async function* walkFolder(
  dir: string,
  base: string,
  options: WalkOptions,
  control: WalkControl,
): AsyncGenerator<string> {
  for (const entry of await sortedEntries(dir, base)) {
    const { prefix, after } = options;
    // Entries are sorted, so once one sorts past every key with the prefix, all later ones do.
    if (!entry.key.startsWith(prefix) && !prefix.startsWith(entry.key)) {
      if (compareKeys(entry.key, prefix) > 0) return;
      continue;
    }
    const skip = control.skipPrefix;
    if (skip !== undefined && entry.key.startsWith(skip)) continue;
    if (entry.directory) {
      // Every key in the folder starts with entry.key; none is after `after` unless the folder
      // sorts after it or contains it.
      if (
        after !== undefined &&
        compareKeys(entry.key, after) <= 0 &&
        !after.startsWith(entry.key)
      ) {
        continue;
      }
      yield* walkFolder(join(dir, entry.name), entry.key, options, control);
    } else if (
      entry.key.startsWith(prefix) &&
      (after === undefined || compareKeys(entry.key, after) > 0)
    ) {
      yield entry.key; // (a file whose key is only the start of the prefix is not listed)
    }
  }
}

async function sortedEntries(dir: string, base: string): Promise<Entry[]> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // Gone or replaced while walking (a concurrent delete pruned it): it holds no keys now.
    if (hasErrnoCode(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
  const entries: Entry[] = [];
  for (const dirent of dirents) {
    // Symlinks and special files are not objects (and are never followed out of the bucket).
    if (dirent.isDirectory()) {
      entries.push({ name: dirent.name, directory: true, key: `${base}${dirent.name}/` });
    } else if (dirent.isFile()) {
      entries.push({ name: dirent.name, directory: false, key: base + dirent.name });
    }
  }
  // A folder sorts as its name plus "/", so "a-b" (0x2d) comes before the keys in "a/" (0x2f).
  return entries.sort((x, y) => compareKeys(x.key, y.key));
}
