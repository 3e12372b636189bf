import * as path from 'node:path';

/**
 * The repository root: the definition's paths (the handler entry), cdk.json, the lockfile, the
 * bench and the emulator's build cache are relative to it. The one definition, for every part that
 * needs it (infra, the emulator, localstack, bench, tests); the handler and the producer do not.
 */
export const repoRoot = path.resolve(__dirname, '..');
