import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPipeline, type StartedPipeline, silentLogger } from '../../emulator';
import { warmUp } from '../../integration/targets/warm-up';

// The deploying targets' first invocation, against a real gateway and function (the embedded one).
let dir: string;
let pipeline: StartedPipeline;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'warm-up-'));
  pipeline = await new EmbeddedPipeline({ dataDir: dir, logger: silentLogger }).start();
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('returns once the function answers (its 400 for an empty batch)', async () => {
  await expect(warmUp(pipeline, { timeoutMs: 30_000 })).resolves.toBeUndefined();
});

test('fails after its budget with the last answer when the function is never reached', async () => {
  await expect(
    warmUp(
      { apiUrl: pipeline.apiUrl, apiKey: 'not-the-key-0123456789' },
      { timeoutMs: 300, intervalMs: 50 },
    ),
  ).rejects.toThrow(/did not answer a first request .* within 0\.3 s \(last: HTTP 403/);
});
