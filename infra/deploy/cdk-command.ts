import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../../deployment/repo-root';

/** The repository's pinned CLIs (aws-cdk 2.1148.x and aws-cdk-local), never whatever npx finds. */
export type CdkCli = 'cdk' | 'cdklocal';

export function cdkBinary(cli: CdkCli): string {
  return path.join(repoRoot, 'node_modules', '.bin', cli);
}

/** `-c key=value` pairs for the app's context (see infra/pipeline-app.ts). */
export function contextArgs(context: Readonly<Record<string, string>>): string[] {
  return Object.entries(context).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
}

export interface DeployArgsOptions {
  readonly stackName: string;
  readonly outputsFile: string;
  readonly context?: Readonly<Record<string, string>>;
  /** Skip the IAM-change prompt: emulators, CI. Humans deploying to AWS keep it. */
  readonly approve?: boolean;
  readonly extra?: readonly string[];
}

export function deployArgs(options: DeployArgsOptions): string[] {
  return [
    'deploy',
    options.stackName,
    '--outputs-file',
    options.outputsFile,
    // One line per resource event: readable in CI logs and containers, unlike the progress bar.
    '--progress',
    'events',
    ...(options.approve ? ['--require-approval', 'never'] : []),
    ...contextArgs(options.context ?? {}),
    ...(options.extra ?? []),
  ];
}

export interface RunCdkOptions {
  readonly cli: CdkCli;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** 'inherit' streams the CLI's output; 'quiet' keeps it and shows its tail only on failure. */
  readonly output?: 'inherit' | 'quiet';
}

/** Runs the pinned CLI from the repository root (where cdk.json is) and fails with its exit code. */
export function runCdk(options: RunCdkOptions): Promise<void> {
  const quiet = options.output === 'quiet';
  return new Promise((resolve, reject) => {
    const child = spawn(cdkBinary(options.cli), [...options.args], {
      cwd: repoRoot,
      env: options.env ?? process.env,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (error) =>
      reject(new Error(`cannot start ${options.cli} (${error.message}); run npm ci first`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(
        new Error(
          `${options.cli} ${options.args[0] ?? ''} ${how}; see its output${quiet ? ` below:\n${tail}` : ' above'}`,
        ),
      );
    });
  });
}
