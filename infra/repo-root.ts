import * as path from 'node:path';

/** The repository root: definition paths (handler entry, lock file) are relative to it. */
export const repoRoot = path.resolve(__dirname, '..');
