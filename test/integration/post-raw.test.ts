import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPipeline, type StartedPipeline, silentLogger } from '../../emulator';
import { postRaw } from '../../integration/support/http';

// The suite's raw POST against a real gateway whose usage plan allows one request at a time.
let dir: string;
let pipeline: StartedPipeline;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'post-raw-'));
  pipeline = await new EmbeddedPipeline({
    dataDir: dir,
    logger: silentLogger,
    throttle: { rateLimit: 20, burstLimit: 1 },
  }).start();
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await rm(dir, { recursive: true, force: true });
});

const notJson = () => postRaw(pipeline.apiUrl, pipeline.apiKey, 'hello', 'text/plain');

test('back-to-back requests over the throttle are refused by the gateway', async () => {
  const statuses = await Promise.all(
    Array.from({ length: 5 }, async () => {
      const response = await fetch(pipeline.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-api-key': pipeline.apiKey },
        body: 'hello',
      });
      await response.body?.cancel();
      return response.status;
    }),
  );
  expect(statuses).toContain(429);
});

test('postRaw waits out the throttle and returns the answer under test', async () => {
  const results = await Promise.all(Array.from({ length: 5 }, notJson));
  expect(results.map((result) => result.status)).toEqual([415, 415, 415, 415, 415]);
});
