/**
 * The function's log as the worker pool writes it: Lambda's START/END/REPORT around what the
 * function wrote, in order, and nothing lost when the runtime exits or is stopped mid-invocation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import * as esbuild from 'esbuild';
import { WorkerPool } from '../../emulator/lambda-host/worker-pool';
import { silentLogger } from '../../emulator/log';
import { bundleBehaviours } from './helpers';

jest.setTimeout(30_000);

let dir: string;
let pool: WorkerPool;
let log = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'function-log-'));
  const { runtimePath, bundlePath } = await bundleBehaviours(dir);
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  pool = new WorkerPool({
    runtimePath,
    exportName: 'handler',
    config: {
      functionName: 'f',
      region: 'us-east-1',
      accountId: '0',
      memoryMB: 256,
      timeoutMs: 1_000,
    },
    environment: {},
    concurrency: 1,
    logSink: sink,
    logger: silentLogger,
  });
  pool.setBundle(bundlePath);
});
afterAll(async () => {
  await pool?.stop();
  await rm(dir, { recursive: true, force: true });
  await esbuild.stop(); // the bundler's service would keep this test file's process alive
});
beforeEach(() => {
  log = '';
});

const invoke = (mode: string, extra: Record<string, string> = {}) =>
  pool.invoke(JSON.stringify({ queryStringParameters: { mode, ...extra } }));

/** The log's lines once `pattern` shows up (the sink is written asynchronously). */
async function linesOnce(pattern: RegExp): Promise<string[]> {
  for (let waited = 0; !pattern.test(log); waited += 10) {
    if (waited > 5_000) throw new Error(`no ${pattern} in the function log:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return log.trimEnd().split('\n');
}

it('puts what the function wrote between START and END/REPORT, in order', async () => {
  const outcome = await invoke('log', { lines: '3' });
  expect(outcome.kind).toBe('result');
  const lines = await linesOnce(/REPORT RequestId/);
  const id = outcome.awsRequestId;
  expect(lines.map((line) => line.replace(/\t.*$/, ''))).toEqual([
    `START RequestId: ${id} Version: $LATEST`,
    'fixture line 0000',
    'fixture line 0001',
    'fixture line 0002',
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}`,
  ]);
});

it('keeps what the function wrote in the turn it called process.exit()', async () => {
  const outcome = await invoke('log-exit');
  expect(outcome).toMatchObject({ kind: 'error', error: { errorType: 'Runtime.ExitError' } });
  const lines = await linesOnce(/last words before exit/);
  expect(lines[0]).toBe(`START RequestId: ${outcome.awsRequestId} Version: $LATEST`);
  expect(lines[1]).toBe('last words before exit');
});

it('keeps what the function wrote before it hung until the timeout', async () => {
  const outcome = await invoke('log-hang');
  expect(outcome).toMatchObject({ kind: 'error', error: { errorType: 'Sandbox.Timedout' } });
  const lines = await linesOnce(/Task timed out/);
  expect(lines.slice(0, 2)).toEqual([
    `START RequestId: ${outcome.awsRequestId} Version: $LATEST`,
    'last words before hanging',
  ]);
});
