import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../deployment/repo-root';

export interface ForkOptions {
  /** Extra node flags, e.g. --cpu-prof. */
  execArgv?: string[];
  /** Run plain JavaScript (an esbuild bundle) without the tsx loader. */
  plain?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Forward the child's stderr to ours (off: it is kept for error messages). */
  showStderr?: boolean;
}

export interface Child {
  process: ChildProcess;
  /** Resolves with the first message that passes `accept`; rejects if the child exits first. */
  next<T>(accept: (message: unknown) => message is T, timeoutMs?: number): Promise<T>;
  send(message: unknown): void;
  /** Asks politely (a `stop` message), then SIGKILLs after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<void>;
  stderr(): string;
}

/**
 * Forks a bench child (bench/children/*.ts through tsx, or a bundle with `plain`) with an IPC
 * channel; its stdout is ignored and its stderr kept for errors.
 */
export function forkChild(script: string, args: string[] = [], options: ForkOptions = {}): Child {
  const execArgv = [...(options.plain ? [] : ['--import', 'tsx']), ...(options.execArgv ?? [])];
  const proc = fork(path.resolve(repoRoot, script), args, {
    cwd: repoRoot,
    execArgv,
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  // A send racing the child's exit fails with EPIPE; the exit itself is what callers wait for.
  proc.on('error', () => {});
  let errText = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    errText = (errText + chunk.toString()).slice(-8000);
    if (options.showStderr) process.stderr.write(chunk);
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => resolve(code)),
  );
  return {
    process: proc,
    next<T>(accept: (message: unknown) => message is T, timeoutMs = 120_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${script}: no answer within ${timeoutMs} ms\n${errText}`));
        }, timeoutMs);
        const onMessage = (message: unknown) => {
          if (!accept(message)) return;
          cleanup();
          resolve(message);
        };
        const onExit = (code: number | null) => {
          cleanup();
          reject(new Error(`${script} exited (code ${code}) before answering:\n${errText}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          proc.off('message', onMessage);
          proc.off('exit', onExit);
        };
        proc.on('message', onMessage);
        proc.once('exit', onExit);
      });
    },
    send(message) {
      proc.send(message as never);
    },
    async stop(graceMs = 30_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      if (proc.connected) proc.send({ type: 'stop' }, () => {});
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    stderr: () => errText,
  };
}

/** A type guard for `{ type: <name>, ... }` messages. */
export function messageOfType<T extends { type: string }>(type: T['type']) {
  return (message: unknown): message is T =>
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === type;
}
