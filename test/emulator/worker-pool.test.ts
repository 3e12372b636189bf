/**
 * The pool's concurrency is a limit on execution environments, whichever bundle they run: a hot
 * reload (setBundle + prewarm) while an invocation runs must not start one more worker.
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
let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.stop();
  await rm(dir, { recursive: true, force: true });
});
// The bundler's esbuild service would keep this test file's process alive.
afterAll(() => esbuild.stop());

it('a reload under load does not exceed the concurrency; the next request gets the new bundle', async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'worker-pool-'));
  const { runtimePath, bundlePath } = await bundleBehaviours(dir);
  const config = {
    functionName: 'f',
    region: 'us-east-1',
    accountId: '0',
    memoryMB: 256,
    timeoutMs: 20_000,
  };
  pool = new WorkerPool({
    runtimePath,
    exportName: 'handler',
    config,
    environment: {},
    concurrency: 1,
    logSink: new PassThrough().resume(),
    logger: silentLogger,
  });
  pool.setBundle(bundlePath);
  expect(await pool.prewarm()).toBeUndefined();
  expect(pool.liveWorkers()).toBe(1);

  const slow = pool.invoke(JSON.stringify({ queryStringParameters: { mode: 'slow', ms: '1500' } }));
  // What the host does on a source change: new bundle, then a prewarm.
  pool.setBundle(bundlePath);
  expect(await pool.prewarm()).toBeUndefined();
  expect(pool.liveWorkers()).toBe(1); // the busy worker of the old bundle still counts

  const next = pool.invoke(JSON.stringify({ queryStringParameters: { mode: 'echo' } }));
  expect(pool.liveWorkers()).toBe(1); // queued, not a second environment
  expect(await slow).toMatchObject({ kind: 'result' });
  expect(await next).toMatchObject({ kind: 'result' });
  expect(pool.liveWorkers()).toBe(1);
});
