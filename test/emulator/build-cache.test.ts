import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type * as esbuild from 'esbuild';
import { EmbeddedPipeline } from '../../emulator';
import { BuildCache } from '../../emulator/lambda-host/build-cache';
import { fixture, post, RecordingLogger } from './helpers';

// Each start bundles (on a miss) and cold-starts a function: slow on a busy machine, not a hang.
jest.setTimeout(30_000);

/** The cache ignores files changed just before a build (esbuild may have read older content). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 250));

describe('build cache across starts', () => {
  let root: string;
  let entry: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'build-cache-'));
    await mkdir(path.join(root, 'src'));
    entry = path.join(root, 'src', 'handler.ts');
    await copyFile(fixture('versioned.ts'), entry);
    await settle();
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Starts over the same data directory and cache, answers one request, stops. */
  const startOnce = async (): Promise<{ version: unknown; lines: string[] }> => {
    const logger = new RecordingLogger();
    const pipeline = await new EmbeddedPipeline({
      dataDir: path.join(root, 'data'),
      buildCache: path.join(root, 'cache'),
      handlerEntry: entry,
      concurrency: 1,
      functionLogs: 'silent',
      logger,
    }).start();
    try {
      const body = (await (await post(pipeline)).json()) as { version?: unknown };
      return { version: body.version, lines: logger.lines };
    } finally {
      await pipeline.stop();
    }
  };
  const reused = (lines: string[]): boolean =>
    lines.some((line) => line.includes('reused from the build cache'));

  it('reuses the bundle while the sources are unchanged, and rebuilds when one changes', async () => {
    const first = await startOnce();
    expect(first.version).toBe('v1');
    expect(reused(first.lines)).toBe(false);

    const second = await startOnce();
    expect(second.version).toBe('v1');
    expect(reused(second.lines)).toBe(true);

    // Same size, so only the content tells the change apart.
    await writeFile(entry, (await readFile(entry, 'utf8')).replace("'v1'", "'v2'"));
    const third = await startOnce();
    expect(third.version).toBe('v2');
    expect(reused(third.lines)).toBe(false);
  });

  it('rebuilds when a new file appears next to the sources (an import may now resolve to it)', async () => {
    await settle();
    await startOnce();
    expect(reused((await startOnce()).lines)).toBe(true);
    await writeFile(path.join(root, 'src', 'other.ts'), 'export {};\n');
    const after = await startOnce();
    expect(after.version).toBe('v2');
    expect(reused(after.lines)).toBe(false);
  });
});

describe('BuildCache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'build-cache-unit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const metafileOf = (...inputs: string[]): esbuild.Metafile => ({
    inputs: Object.fromEntries(inputs.map((input) => [input, { bytes: 0, imports: [] }])),
    outputs: {},
  });
  const outputs = [{ name: 'out.cjs', contents: Buffer.from('code') }];

  it('does not record a build whose input changed after the build started', async () => {
    await writeFile(path.join(dir, 'a.ts'), 'export {};');
    const cache = new BuildCache(path.join(dir, 'cache'));
    const saved = await cache.save({
      key: 'k',
      metafile: metafileOf('a.ts'),
      workingDir: dir,
      outputs,
      buildStartedAt: Date.now() - 60_000,
    });
    expect(saved).toBe(false);
    expect(await cache.load('k')).toBeUndefined();
  });

  it('misses when a dependency in node_modules changes size', async () => {
    const dependency = path.join(dir, 'node_modules', 'dep', 'index.js');
    await mkdir(path.dirname(dependency), { recursive: true });
    await writeFile(dependency, 'module.exports = 1;');
    await settle();
    const cache = new BuildCache(path.join(dir, 'cache'));
    const saved = await cache.save({
      key: 'k',
      metafile: metafileOf('node_modules/dep/index.js'),
      workingDir: dir,
      outputs,
      buildStartedAt: Date.now(),
    });
    expect(saved).toBe(true);
    expect((await cache.load('k'))?.map((o) => Buffer.from(o.contents).toString())).toEqual([
      'code',
    ]);
    await writeFile(dependency, 'module.exports = 22;');
    expect(await cache.load('k')).toBeUndefined();
  });

  it('keeps the 16 most recently used entries and drops the rest', async () => {
    // Sources apart from the cache: a new cache entry must not look like a change to them.
    const sources = path.join(dir, 'src');
    await mkdir(sources);
    await writeFile(path.join(sources, 'a.ts'), 'export {};');
    await mkdir(path.join(dir, 'cache'));
    await settle();
    const cache = new BuildCache(path.join(dir, 'cache'));
    const save = (key: string) =>
      cache.save({
        key,
        metafile: metafileOf('a.ts'),
        workingDir: sources,
        outputs,
        buildStartedAt: Date.now(),
      });
    for (let i = 0; i < 16; i++) {
      expect(await save(`k${i}`)).toBe(true);
      // Distinct, increasing use times (file times may be coarse).
      const at = new Date(Date.now() - (100 - i) * 1000);
      await utimes(path.join(dir, 'cache', `k${i}`, 'manifest.json'), at, at);
    }
    expect(await cache.load('k0')).toBeDefined(); // k0 is now the most recently used
    expect(await save('k16')).toBe(true);
    expect(await save('k17')).toBe(true);
    const kept = await readdir(path.join(dir, 'cache'));
    expect(kept).toHaveLength(16);
    expect(kept).toEqual(expect.arrayContaining(['k0', 'k16', 'k17']));
    expect(kept).not.toContain('k1');
    expect(kept).not.toContain('k2');
  });
});
