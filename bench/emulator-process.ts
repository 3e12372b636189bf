import type { S3Settings } from '../emulator';
import { type Child, type ForkOptions, forkChild, messageOfType } from './child';
import type { ThreadCpu } from './thread-cpu';

export interface EmulatorReady {
  type: 'ready';
  target: { apiUrl: string; apiKey: string; bucket: string; s3: S3Settings };
  dataDir: string;
  functionLogFile: string | undefined;
  /** Process start to the child's first line of code (node boot, tsx, module loading). */
  bootMs: number;
  /** EmbeddedPipeline.start() in the child. */
  startMs: number;
  logLines: string[];
}

export interface EmulatorRss {
  type: 'rss';
  rss: number;
  peakRss: number;
  maxRss: number;
}

export interface EmulatorCpu {
  type: 'cpu';
  threads: ThreadCpu;
}

export interface EmulatorRestarted {
  type: 'restarted';
  startMs: number;
  logLines: string[];
}

export interface EmulatorProcess {
  ready: EmulatorReady;
  /** fork() to the ready message, as the parent saw it. */
  spawnToReadyMs: number;
  pid: number | undefined;
  rss(): Promise<EmulatorRss>;
  /** CPU ms by thread group since the process started. */
  cpu(): Promise<ThreadCpu>;
  resetRssPeak(): void;
  restart(): Promise<EmulatorRestarted>;
  /** Serves the console in the emulator's process; resolves with its URL. */
  startConsole(): Promise<string>;
  stopConsole(): Promise<void>;
  stop(): Promise<void>;
  child: Child;
}

export interface EmulatorProcessOptions {
  dataDir: string;
  concurrency?: number;
  throttle?: { rateLimit: number; burstLimit: number };
  workerYoungGenerationMb?: number;
  functionLogs?: 'file' | 'silent';
}

/** Starts bench/children/emulator.ts and waits for the pipeline to be ready. */
export async function startEmulatorProcess(
  options: EmulatorProcessOptions,
  fork: ForkOptions = {},
): Promise<EmulatorProcess> {
  const t0 = performance.now();
  const child = forkChild('bench/children/emulator.ts', [JSON.stringify(options)], fork);
  const ready = await child.next(messageOfType<EmulatorReady>('ready'));
  const spawnToReadyMs = performance.now() - t0;
  return {
    ready,
    spawnToReadyMs,
    pid: child.process.pid,
    child,
    async rss() {
      const answer = child.next(messageOfType<EmulatorRss>('rss'), 10_000);
      child.send({ type: 'rss' });
      return answer;
    },
    async cpu() {
      const answer = child.next(messageOfType<EmulatorCpu>('cpu'), 10_000);
      child.send({ type: 'cpu' });
      return (await answer).threads;
    },
    resetRssPeak: () => child.send({ type: 'reset-rss-peak' }),
    async restart() {
      const answer = child.next(messageOfType<EmulatorRestarted>('restarted'));
      child.send({ type: 'restart' });
      return answer;
    },
    async startConsole() {
      const answer = child.next(messageOfType<{ type: 'console'; url: string }>('console'));
      child.send({ type: 'console-start' });
      return (await answer).url;
    },
    async stopConsole() {
      const answer = child.next(messageOfType<{ type: 'console-stopped' }>('console-stopped'));
      child.send({ type: 'console-stop' });
      await answer;
    },
    stop: () => child.stop(),
  };
}

/** Pulls "<label> N ms" out of the emulator's log lines ("ready in 412 ms", "handler cold start 88 ms"). */
export function msFromLog(lines: readonly string[], label: string): number | undefined {
  for (const line of lines) {
    const match = new RegExp(`${label} (\\d+(?:\\.\\d+)?) ms`).exec(line);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}
