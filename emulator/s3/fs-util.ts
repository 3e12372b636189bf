/** Small filesystem helpers shared by the bucket and object stores. */
import { unlinkSync } from 'node:fs';
import { rmdir, unlink } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { errorCode } from '../../model/error-code';

/** Whether a filesystem error's errno code is one of these. */
export function hasErrnoCode(error: unknown, ...codes: string[]): boolean {
  const code = errorCode(error);
  return code !== undefined && codes.includes(code);
}

/** Codes meaning "there is no regular file at that path". */
export const NOT_A_FILE = ['ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP', 'EPERM'] as const;

export async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!hasErrnoCode(error, ...NOT_A_FILE)) throw error;
  }
}

/** unlinkIfPresent for the synchronous put path (object-store.ts says why). */
export function unlinkIfPresentSync(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (!hasErrnoCode(error, ...NOT_A_FILE)) throw error;
  }
}

/**
 * Removes the folders holding `path` while they are empty, up to (not including) `root`, so a
 * deleted key leaves no folder behind that would block a later key of the same name.
 */
export async function pruneEmptyParents(path: string, root: string): Promise<void> {
  for (let dir = dirname(path); dir.startsWith(root + sep); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or already gone): nothing more to prune
    }
  }
}
