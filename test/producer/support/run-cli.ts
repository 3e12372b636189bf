import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../../deployment/repo-root';

const mainTs = join(repoRoot, 'producer', 'cli', 'main.ts');
// Node with tsx's loader in one process (no tsx wrapper process), so signals reach the CLI itself.
const tsxLoader = pathToFileURL(require.resolve('tsx', { paths: [repoRoot] })).href;

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment without the user's pipeline settings, and without colour, for stable output. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { API_URL: _u, API_KEY: _k, FORCE_COLOR: _f, ...rest } = process.env;
  return { ...rest, NO_COLOR: '1', ...extra };
}

export function startCli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): CliRun {
  const child = spawn(process.execPath, ['--import', tsxLoader, mainTs, ...args], {
    cwd: opts.cwd,
    env: opts.env ?? cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls until `check` holds (a server saw requests, a message appeared), for up to 15 s. */
export async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
