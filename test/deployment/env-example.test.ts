/**
 * The README promises that every variable the kit reads is in `.env.example`: every name the kit's
 * code reads from the environment (TypeScript `process.env.X`/`env.X`, shell `${X:-...}`) must
 * appear there. The function's own environment (set by the stack or the emulator, not by a user)
 * and the test fixtures' switches are not settings of the kit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../deployment/repo-root';

const sourceDirs = [
  'cli',
  'emulator',
  'producer',
  'infra',
  'localstack',
  'deployment',
  'verify',
  'bench',
  'integration',
  'test-containers',
  'scripts',
];
/** The system's, not the kit's; `ID`/`VERSION_CODENAME` come from /etc/os-release. */
const notSettings = new Set(['PATH', 'HOME', 'TMPDIR', 'XDG_CACHE_HOME', 'ID', 'VERSION_CODENAME']);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|sh)$/.test(file) && !file.split(path.sep).includes('fixtures'))
    .map((file) => path.join(repoRoot, dir, file));
}

function variablesRead(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const patterns = file.endsWith('.sh')
    ? [/\$\{([A-Z][A-Z0-9_]*)(?::?[-=?+]|\})/g]
    : [/process\.env\.([A-Z][A-Z0-9_]*)/g, /\benv\.([A-Z][A-Z0-9_]*)/g];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] ?? ''));
}

test('every variable the kit reads is in .env.example', () => {
  const example = readFileSync(path.join(repoRoot, '.env.example'), 'utf8');
  const readBy = new Map<string, string>();
  for (const file of sourceDirs.flatMap(sourceFiles)) {
    for (const name of variablesRead(file)) {
      if (!notSettings.has(name)) readBy.set(name, path.relative(repoRoot, file));
    }
  }
  // The scan finds what it should (a regression in it would pass everything).
  expect(readBy.get('PIPELINE_LOG_LEVEL')).toBe(path.join('emulator', 'log.ts'));
  expect(readBy.has('NODE24_VERSION')).toBe(true);
  const missing = [...readBy].filter(([name]) => !new RegExp(`\\b${name}=`).test(example));
  expect(missing).toEqual([]);
});
