import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixture, post, startTestPipeline, type TestPipeline } from './helpers';

// Starting a pipeline bundles and cold-starts a function: slow on a busy machine, not a hang.
jest.setTimeout(30_000);

const versionOf = async (t: TestPipeline): Promise<unknown> =>
  ((await (await post(t.pipeline)).json()) as { version?: unknown }).version;

describe('hot reload (npm run dev)', () => {
  let src: string;
  let entry: string;
  let t: TestPipeline;
  beforeAll(async () => {
    src = await mkdtemp(path.join(os.tmpdir(), 'hot-reload-src-'));
    entry = path.join(src, 'handler.ts');
    await copyFile(fixture('versioned.ts'), entry);
    t = await startTestPipeline({ handlerEntry: entry, watch: true });
  });
  afterAll(async () => {
    await t?.dispose();
    await rm(src, { recursive: true, force: true });
  });

  const edit = async (from: string, to: string): Promise<void> =>
    writeFile(entry, (await readFile(entry, 'utf8')).replace(from, to));

  /** Polls until the handler answers `version`; esbuild notices the change within a moment. */
  const waitForVersion = async (version: string): Promise<unknown> => {
    const deadline = Date.now() + 10_000;
    let seen = await versionOf(t);
    while (seen !== version && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await versionOf(t);
    }
    return seen;
  };

  it('serves the changed handler on the same gateway, without a restart', async () => {
    const { apiUrl } = t.pipeline;
    expect(await versionOf(t)).toBe('v1');
    await edit("'v1'", "'v2'");
    expect(await waitForVersion('v2')).toBe('v2');
    expect(t.pipeline.apiUrl).toBe(apiUrl);
    expect(t.logger.lines.some((line) => line.startsWith('handler changed'))).toBe(true);
  });

  it('keeps serving the last good bundle when an edit does not compile', async () => {
    await writeFile(entry, 'export const handler = async () => { this is not TypeScript');
    await t.logger.waitFor(/^handler rebuild failed/);
    expect(await versionOf(t)).toBe('v2');
    await copyFile(fixture('versioned.ts'), entry);
    expect(await waitForVersion('v1')).toBe('v1');
  });
});
