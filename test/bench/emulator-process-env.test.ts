import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { emulatorProcessEnv } from '../../bench/emulator-process';
import { repoRoot } from '../../deployment/repo-root';

const scripts = (
  JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

test('the bench starts the emulator with the malloc arena cap of `npm run dev`, unless one is set', () => {
  expect(emulatorProcessEnv({}).MALLOC_ARENA_MAX).toBe('2');
  expect(emulatorProcessEnv({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX).toBe('8');
});

test.each(['start', 'dev'])('npm run %s sets MALLOC_ARENA_MAX through the shell', (name) => {
  const script = scripts[name] ?? '';
  // What sh makes of the script's assignment, with and without a value from the user.
  const prefix = script.slice(0, script.indexOf(' tsx '));
  const run = (env: NodeJS.ProcessEnv) =>
    execFileSync('sh', ['-c', `${prefix} sh -c 'echo $MALLOC_ARENA_MAX'`], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
    }).trim();
  expect(run({})).toBe('2');
  expect(run({ MALLOC_ARENA_MAX: '4' })).toBe('4');
});
