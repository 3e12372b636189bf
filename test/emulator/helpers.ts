import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  EmbeddedPipeline,
  type EmbeddedPipelineOptions,
  type EmulatorLogger,
  type StartedPipeline,
} from '../../emulator';
import { buildWorkerRuntime, bundleHandler } from '../../emulator/lambda-host/bundler';

export const fixture = (name: string): string => path.join(__dirname, 'fixtures', name);

/** The worker runtime and the `behaviours` fixture bundled into `dir`, for a WorkerPool of its own. */
export async function bundleBehaviours(
  dir: string,
): Promise<{ runtimePath: string; bundlePath: string }> {
  const runtimePath = await buildWorkerRuntime(dir, false);
  const { bundlePath } = await bundleHandler({
    entry: fixture('behaviours.ts'),
    buildDir: dir,
    cacheDir: false,
    watch: false,
    onRebuild: () => {},
    onRebuildError: () => {},
  });
  return { runtimePath, bundlePath };
}

/** Records the emulator's lines so tests can wait for one (e.g. a request reaching the gateway). */
export class RecordingLogger implements EmulatorLogger {
  readonly lines: string[] = [];
  private waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];

  private record(line: string): void {
    this.lines.push(line);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.pattern.test(line)) return true;
      waiter.resolve(line);
      return false;
    });
  }

  debug = (line: string): void => this.record(line);
  info = (line: string): void => this.record(line);
  warn = (line: string): void => this.record(line);
  error = (line: string): void => this.record(line);

  waitFor(pattern: RegExp): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ pattern, resolve }));
  }
}

export interface TestPipeline {
  pipeline: StartedPipeline;
  logger: RecordingLogger;
  dir: string;
  /** Stops the pipeline (if still running) and removes its data directory. */
  dispose(): Promise<void>;
}

/** A pipeline on free ports in a fresh temp data directory, quiet, with small concurrency. */
export async function startTestPipeline(
  options: EmbeddedPipelineOptions = {},
): Promise<TestPipeline> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'emulator-test-'));
  const logger = new RecordingLogger();
  try {
    const pipeline = await new EmbeddedPipeline({
      dataDir: dir,
      concurrency: 2,
      functionLogs: 'silent',
      logger,
      ...options,
    }).start();
    return {
      pipeline,
      logger,
      dir,
      dispose: async () => {
        await pipeline.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: Buffer;
  json(): unknown;
}

/**
 * A request through node:http, which keeps header names in the casing given (fetch lowercases
 * them) and can repeat a header.
 */
export function rawRequest(
  url: string,
  init: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer | string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: init.method ?? 'POST', headers: init.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body,
            json: () => JSON.parse(body.toString('utf8')),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** POSTs to the pipeline's API with its key; `query` selects a fixture's behaviour. */
export async function post(
  pipeline: StartedPipeline,
  init: { query?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const url = init.query ? `${pipeline.apiUrl}?${init.query}` : pipeline.apiUrl;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': pipeline.apiKey, ...init.headers },
    body: init.body ?? '{}',
  });
}
