import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { EmulatorLogger } from '../log';
import type { FunctionConfig } from './function-environment';
import { crashError, startFunctionWorker } from './function-worker';
import type {
  FunctionError,
  InjectedFunctionFault,
  InvokeMessage,
  WorkerMessage,
} from './protocol';
import { logTailOf, runtimeFailureLog } from './runtime-failure-log';

/**
 * How one invocation ended, as Lambda's Invoke API reports it; `logTail` (base64, the last 4 KB
 * of the invocation's log) when it was asked for.
 */
export type InvokeOutcome =
  | { kind: 'result'; awsRequestId: string; payload: string; logTail?: string }
  | { kind: 'error'; awsRequestId: string; error: FunctionError; logTail?: string };

export interface InvokeOptions {
  /** Withdraws the invocation while it still waits for a function instance. */
  signal?: AbortSignal;
  /** Return the tail of the invocation's log (`LogType: Tail`). */
  logTail?: boolean;
  /** A fault to inject into this invocation (the emulator's fault injection). */
  fault?: InjectedFunctionFault;
}

export interface WorkerPoolOptions {
  /** The bundled worker runtime script. */
  runtimePath: string;
  exportName: string;
  config: FunctionConfig;
  /** The function's environment (each worker gets its own copy, as each sandbox does). */
  environment: Record<string, string>;
  /** Most execution environments at once; more requests wait (reserved concurrency). */
  concurrency: number;
  /**
   * Cap of each worker's young generation (MB); undefined: V8's default. Small caps keep each
   * isolate's heap from growing under load (the emulator's RSS) for a little more GC work.
   */
  workerYoungGenerationMb?: number;
  /** Where the function's stdout and stderr go (its log group). */
  logSink: Writable;
  logger: EmulatorLogger;
}

interface Pending {
  event: string;
  fault: InjectedFunctionFault | undefined;
  awsRequestId: string;
  logTail: boolean;
  resolve: (outcome: InvokeOutcome) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface Running {
  pending: Pending;
  timer: NodeJS.Timeout;
  startedAt: number;
}

interface PooledWorker {
  worker: Worker;
  generation: number;
  state: 'starting' | 'idle' | 'busy' | 'dead';
  running: Running | undefined;
}

export class InvocationCancelledError extends Error {
  constructor() {
    super('the invocation was cancelled before a function worker took it');
    this.name = 'InvocationCancelledError';
  }
}

/**
 * Execution environments as worker threads. Each loads the bundle once (a cold start, timed and
 * logged), then serves one invocation at a time. A crash, `process.exit`, out-of-memory or a
 * timeout fails that invocation only; the worker is discarded and a new one is made on demand.
 * After a reload, new invocations go to workers of the new bundle; running ones finish on the old.
 */
export class WorkerPool {
  private readonly workers = new Set<PooledWorker>();
  private readonly queue: Pending[] = [];
  private generation = 0;
  private bundlePath: string | undefined;
  private stopped = false;
  private coldStarts = 0;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Use this bundle for every worker made from now on; idle workers of older bundles retire. */
  setBundle(bundlePath: string): void {
    this.bundlePath = bundlePath;
    this.generation += 1;
    for (const pooled of this.workers) {
      if (pooled.generation !== this.generation && pooled.state !== 'busy') this.retire(pooled);
    }
    this.pump();
  }

  /**
   * Starts one worker ahead of traffic, if the concurrency leaves room (a reload under load
   * leaves none while old workers finish: the next request then starts a new one); resolves
   * with its init error, if any.
   */
  async prewarm(): Promise<FunctionError | undefined> {
    if (this.stopped || this.liveWorkers() >= this.options.concurrency) return undefined;
    const pooled = this.spawn();
    return new Promise((resolve) => {
      // Listens until init is over, not for the worker's life.
      const settle = (error: FunctionError | undefined): void => {
        pooled.worker.off('message', onMessage);
        pooled.worker.off('exit', onExit);
        resolve(error);
      };
      const onMessage = (message: WorkerMessage): void => {
        if (message.type === 'ready') settle(undefined);
        if (message.type === 'init-error') settle(message.error);
      };
      const onExit = (code: number): void =>
        settle({
          errorType: 'Runtime.ExitError',
          errorMessage: `Runtime exited during init with exit status ${code}`,
          trace: [],
        });
      pooled.worker.on('message', onMessage);
      pooled.worker.once('exit', onExit);
    });
  }

  /**
   * Runs one invocation. `signal` withdraws it while it still waits for a worker; once a worker
   * has it, it runs to its end or its timeout, as a Lambda invocation does when the caller leaves.
   */
  invoke(
    event: string,
    { signal, logTail = false, fault }: InvokeOptions = {},
  ): Promise<InvokeOutcome> {
    if (this.stopped) return Promise.reject(new Error('the function host is stopped'));
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        event,
        fault,
        awsRequestId: randomUUID(),
        logTail,
        resolve,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(pending);
          if (index >= 0) this.queue.splice(index, 1);
          reject(new InvocationCancelledError());
        },
      };
      if (signal?.aborted) {
        reject(new InvocationCancelledError());
        return;
      }
      signal?.addEventListener('abort', pending.onAbort, { once: true });
      this.queue.push(pending);
      this.pump();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const pending of this.queue.splice(0)) {
      pending.signal?.removeEventListener('abort', pending.onAbort);
      pending.resolve(this.errorOutcome(pending, 'Runtime.Stopped', 'the emulator is stopping'));
    }
    await Promise.all([...this.workers].map((pooled) => this.retire(pooled)));
  }

  /** Gives waiting invocations to idle workers, and starts workers while under the concurrency. */
  private pump(): void {
    while (this.queue.length > 0 && !this.stopped) {
      const idle = [...this.workers].find(
        (w) => w.state === 'idle' && w.generation === this.generation,
      );
      if (idle !== undefined) {
        const pending = this.queue.shift();
        if (pending !== undefined) this.run(idle, pending);
        continue;
      }
      // Workers of an older bundle still finishing an invocation count: concurrency is a limit
      // on execution environments, whichever code they run.
      const starting = [...this.workers].filter(
        (w) => w.generation === this.generation && w.state === 'starting',
      ).length;
      if (this.liveWorkers() < this.options.concurrency && starting < this.queue.length) {
        this.spawn();
        continue;
      }
      return;
    }
  }

  /** Execution environments that exist now (starting, idle or busy), of any bundle. */
  liveWorkers(): number {
    let live = 0;
    for (const pooled of this.workers) if (pooled.state !== 'dead') live += 1;
    return live;
  }

  private spawn(): PooledWorker {
    const { bundlePath } = this;
    if (bundlePath === undefined) throw new Error('no function bundle yet: call setBundle first');
    const worker = startFunctionWorker({ ...this.options, bundlePath });
    const pooled: PooledWorker = {
      worker,
      generation: this.generation,
      state: 'starting',
      running: undefined,
    };
    this.workers.add(pooled);
    worker.on('message', (message: WorkerMessage) => this.onMessage(pooled, message));
    worker.on('error', (error) => this.onCrash(pooled, crashError(error)));
    worker.on('exit', (code) =>
      this.onCrash(pooled, {
        errorType: 'Runtime.ExitError',
        errorMessage: `Runtime exited with error: exit status ${code}`,
        trace: [],
      }),
    );
    return pooled;
  }

  private onMessage(pooled: PooledWorker, message: WorkerMessage): void {
    if (message.log !== undefined) this.options.logSink.write(message.log);
    switch (message.type) {
      case 'log': {
        this.options.logSink.write(message.text);
        return;
      }
      case 'ready': {
        this.coldStarts += 1;
        const line = `handler cold start ${message.initMs.toFixed(0)} ms (execution environment ${this.coldStarts})`;
        // The first cold start is news; later ones (scaling up, reloads) are detail.
        if (this.coldStarts === 1) this.options.logger.info(line);
        else this.options.logger.debug(line);
        pooled.state = 'idle';
        this.afterIdle(pooled);
        return;
      }
      case 'init-error': {
        this.options.logger.error(
          `handler init failed: ${message.error.errorType}: ${message.error.errorMessage}`,
        );
        // Lambda fails the invocation that waited for this environment with the init error.
        const pending = this.queue.shift();
        pending?.signal?.removeEventListener('abort', pending.onAbort);
        pending?.resolve({
          kind: 'error',
          awsRequestId: pending.awsRequestId,
          error: message.error,
        });
        this.retire(pooled);
        this.pump();
        return;
      }
      case 'result':
      case 'error': {
        const running = pooled.running;
        if (running === undefined || running.pending.awsRequestId !== message.awsRequestId) return;
        clearTimeout(running.timer);
        pooled.running = undefined;
        pooled.state = 'idle';
        const { awsRequestId, logTail } = message;
        running.pending.resolve({
          ...(message.type === 'result'
            ? { kind: 'result', awsRequestId, payload: message.payload }
            : { kind: 'error', awsRequestId, error: message.error }),
          ...(logTail !== undefined && { logTail }),
        });
        this.afterIdle(pooled);
        return;
      }
    }
  }

  private afterIdle(pooled: PooledWorker): void {
    if (pooled.generation !== this.generation || this.stopped) this.retire(pooled);
    this.pump();
  }

  private run(pooled: PooledWorker, pending: Pending): void {
    pending.signal?.removeEventListener('abort', pending.onAbort);
    const timeoutMs = this.options.config.timeoutMs;
    const timer = setTimeout(() => {
      this.onCrash(pooled, {
        errorType: 'Sandbox.Timedout',
        errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
        trace: [],
      });
    }, timeoutMs);
    pooled.state = 'busy';
    pooled.running = { pending, timer, startedAt: performance.now() };
    const message: InvokeMessage = {
      type: 'invoke',
      awsRequestId: pending.awsRequestId,
      deadline: Date.now() + timeoutMs,
      event: pending.event,
      ...(pending.logTail && { logTail: true }),
      ...(pending.fault === undefined ? {} : { fault: pending.fault }),
    };
    pooled.worker.postMessage(message);
  }

  /** The environment is broken (crash, exit, timeout): fail what it runs, discard it. */
  private onCrash(pooled: PooledWorker, error: FunctionError): void {
    if (pooled.state === 'dead') return;
    const running = pooled.running;
    pooled.running = undefined;
    if (running !== undefined) {
      clearTimeout(running.timer);
      const { pending } = running;
      this.options.logger.warn(
        `function invocation ${pending.awsRequestId} failed: ${error.errorType}: ${error.errorMessage}`,
      );
      const log = this.logRuntimeFailure(pending, error, performance.now() - running.startedAt);
      pending.resolve({ kind: 'error', awsRequestId: pending.awsRequestId, error, ...log });
    } else if (pooled.state === 'starting') {
      this.options.logger.error(`handler init failed: ${error.errorType}: ${error.errorMessage}`);
      const pending = this.queue.shift();
      pending?.signal?.removeEventListener('abort', pending.onAbort);
      pending?.resolve({ kind: 'error', awsRequestId: pending.awsRequestId, error });
    }
    void this.retire(pooled);
    this.pump();
  }

  /** Discards a worker for good; terminate() is harmless on one that already exited. */
  private retire(pooled: PooledWorker): Promise<void> {
    pooled.state = 'dead';
    this.workers.delete(pooled);
    if (pooled.running !== undefined) {
      clearTimeout(pooled.running.timer);
      const { pending } = pooled.running;
      pooled.running = undefined;
      pending.resolve(this.errorOutcome(pending, 'Runtime.Stopped', 'the emulator is stopping'));
    }
    return pooled.worker.terminate().then(() => undefined);
  }

  /** Writes the runtime's lines for an invocation its environment did not finish; its tail when asked for. */
  private logRuntimeFailure(
    pending: Pending,
    error: FunctionError,
    durationMs: number,
  ): { logTail?: string } {
    const text = runtimeFailureLog(
      pending.awsRequestId,
      error,
      durationMs,
      this.options.config.memoryMB,
    );
    this.options.logSink.write(text);
    return pending.logTail ? { logTail: logTailOf(text) } : {};
  }

  private errorOutcome(pending: Pending, errorType: string, errorMessage: string): InvokeOutcome {
    return {
      kind: 'error',
      awsRequestId: pending.awsRequestId,
      error: { errorType, errorMessage, trace: [] },
    };
  }
}
