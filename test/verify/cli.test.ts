// `npm run verify` as a user runs it: exit 0 pass, 1 a problem found, 2 cannot run.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../pipeline/repo-root';

const run = async (args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'verify/cli.ts', ...args],
      { cwd: repoRoot },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'verify-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('exits 2 on a usage error, naming the missing flag', async () => {
  const { code, stderr } = await run([]);
  expect(code).toBe(2);
  expect(stderr).toMatch(/--report <file>/);
}, 30_000);

it('exits 2 when there is no embedded data to check, saying what to run', async () => {
  const report = path.join(dir, 'report.json');
  await writeFile(report, JSON.stringify({ readings: [] }));
  const { code, stderr } = await run(['--report', report, '--data-dir', path.join(dir, 'none')]);
  expect(code).toBe(2);
  expect(stderr).toMatch(/no embedded pipeline data in .*run npm start or npm run dev first/);
}, 30_000);
