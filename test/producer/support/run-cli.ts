import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../../deployment/repo-root';

/**
 * Builds the CLI the way the producer image does: the Dockerfile's own esbuild command (its
 * `producer-bundle` stage), writing to `dir`. Tests then run what the image ships, on plain Node,
 * and each run costs a Node start instead of tsx's.
 */
export async function bundleCliAsImage(dir: string): Promise<string> {
  const dockerfile = await readFile(join(repoRoot, 'Dockerfile'), 'utf8');
  const command =
    /^RUN (node_modules\/\.bin\/esbuild producer\/cli\/main\.ts (?:.*\\\n)*.*)$/m.exec(
      dockerfile,
    )?.[1];
  if (command === undefined) {
    throw new Error(
      'the Dockerfile has no `RUN node_modules/.bin/esbuild producer/cli/main.ts ...`: make bundleCliAsImage build the producer as the image now does',
    );
  }
  const [bin = '', ...args] = command.replace(/\\\n/g, ' ').trim().split(/\s+/);
  if (!args.some((a) => a.startsWith('--outfile='))) {
    throw new Error(`the Dockerfile's producer bundle has no --outfile=: ${command}`);
  }
  const outfile = join(dir, 'producer.cjs');
  const withOurOutfile = args.map((a) => (a.startsWith('--outfile=') ? `--outfile=${outfile}` : a));
  await promisify(execFile)(join(repoRoot, bin), withOurOutfile, { cwd: repoRoot });
  return outfile;
}

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

/** Runs the bundled CLI (`bundleCliAsImage`) in its own process: signals reach the CLI itself. */
export function startCli(
  bundle: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): CliRun {
  const child = spawn(process.execPath, [bundle, ...args], {
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
