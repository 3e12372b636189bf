import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { pipelineDefinition } from '../../deployment/definition';
import { repoRoot } from '../../deployment/repo-root';
import { BuildCache, buildCacheKey, type CachedOutput } from './build-cache';

/** The function's esbuild settings, the same the CDK NodejsFunction bundles with. */
function functionBuildOptions(entry: string, outfile: string): esbuild.BuildOptions {
  const { bundling } = pipelineDefinition.function;
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: bundling.target,
    format: bundling.format,
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    sourcesContent: bundling.sourcesContent,
    mainFields: [...bundling.mainFields],
    // Fixed, so the output and the cache key do not depend on the caller's cwd.
    absWorkingDir: repoRoot,
    // The inputs, for the build cache.
    metafile: true,
    write: false,
    logLevel: 'silent',
  };
}

async function formatErrors(errors: esbuild.Message[]): Promise<string> {
  const lines = await esbuild.formatMessages(errors, { kind: 'error', color: false });
  return lines.join('').trim();
}

/** Hash of the code (not the map), so a rebuild that changed nothing is ignored. */
function codeHash(outputs: readonly CachedOutput[]): string {
  const hash = createHash('sha256');
  for (const output of outputs) if (!output.name.endsWith('.map')) hash.update(output.contents);
  return hash.digest('hex');
}

/** Renamed into place, so a worker starting meanwhile never loads a half-written bundle. */
async function writeOutputs(outDir: string, outputs: readonly CachedOutput[]): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await Promise.all(
    outputs.map(async (output) => {
      const file = path.join(outDir, output.name);
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, output.contents);
      await rename(temporary, file);
    }),
  );
}

function outputsOf(result: esbuild.BuildResult): CachedOutput[] {
  return (result.outputFiles ?? []).map((file) => ({
    name: path.basename(file.path),
    contents: file.contents,
  }));
}

/** Where bundles are kept for reuse across starts (and data directories) by default. */
export const defaultBuildCacheDir = path.join(
  repoRoot,
  'node_modules',
  '.cache',
  'push-pipeline-emulator',
);

/** A cache, or none (`false`: bundle on every start). */
function openCache(cacheDir: string | false): BuildCache | undefined {
  return cacheDir === false ? undefined : new BuildCache(cacheDir);
}

/** One bundle's cache entry: what a start may reuse, and how a fresh build is written and kept. */
async function bundleCache(
  options: esbuild.BuildOptions,
  outfile: string,
  cacheDir: string | false,
) {
  const cache = openCache(cacheDir);
  const key = buildCacheKey({
    options,
    esbuildVersion: esbuild.version,
    outfile,
    workingDir: repoRoot,
  });
  return {
    cached: await cache?.load(key),
    /** Writes a build's outputs into buildDir and records them for the next start. */
    async record(
      result: esbuild.BuildResult,
      buildDir: string,
      buildStartedAt: number,
    ): Promise<CachedOutput[]> {
      const outputs = outputsOf(result);
      await writeOutputs(buildDir, outputs);
      if (result.metafile !== undefined) {
        await cache?.save({
          key,
          metafile: result.metafile,
          workingDir: repoRoot,
          outputs,
          buildStartedAt,
        });
      }
      return outputs;
    },
  };
}

/** Bundles the worker runtime, so it runs the same under jest, tsx or plain node. */
export async function buildWorkerRuntime(
  buildDir: string,
  cacheDir: string | false,
): Promise<string> {
  const outfile = path.join(buildDir, 'lambda-runtime.cjs');
  const options = functionBuildOptions(path.join(__dirname, 'worker-runtime.ts'), outfile);
  const { cached, record } = await bundleCache(options, outfile, cacheDir);
  if (cached !== undefined) {
    await writeOutputs(buildDir, cached);
    return outfile;
  }
  const buildStartedAt = Date.now();
  await record(await esbuild.build(options), buildDir, buildStartedAt);
  return outfile;
}

export interface HandlerBundleOptions {
  /** Absolute path of the handler's entry file. */
  entry: string;
  buildDir: string;
  /** Reuse the bundle kept here when none of its inputs changed; `false`: always bundle. */
  cacheDir: string | false;
  /** Rebuild when a source file of the bundle changes. */
  watch: boolean;
  /** Called after a rebuild that changed the bundle. */
  onRebuild: (bundlePath: string) => void;
  /** Called when a rebuild fails; the previous bundle stays in use. */
  onRebuildError: (message: string) => void;
}

export interface HandlerBundle {
  bundlePath: string;
  /** Whether the bundle came from the build cache (no esbuild run before serving). */
  fromCache: boolean;
  dispose(): Promise<void>;
}

/**
 * Bundles the handler, or reuses the cached bundle when its inputs are unchanged; with `watch`,
 * keeps esbuild watching its sources (handler/, model/...). Watch mode after a cache hit builds
 * once in the background, which also catches what the cache cannot see (it reloads on a change).
 */
export async function bundleHandler(options: HandlerBundleOptions): Promise<HandlerBundle> {
  const bundlePath = path.join(options.buildDir, 'handler.cjs');
  const buildOptions = functionBuildOptions(options.entry, bundlePath);
  const { cached, record } = await bundleCache(buildOptions, bundlePath, options.cacheDir);
  if (cached !== undefined) await writeOutputs(options.buildDir, cached);
  if (cached !== undefined && !options.watch) {
    return { bundlePath, fromCache: true, dispose: async () => {} };
  }

  let lastHash = cached === undefined ? undefined : codeHash(cached);
  let initialError: string | undefined;
  let buildStartedAt = Date.now();
  const reloadPlugin: esbuild.Plugin = {
    name: 'emulator-reload',
    setup(build) {
      build.onStart(() => {
        buildStartedAt = Date.now();
      });
      build.onEnd(async (result) => {
        if (result.errors.length > 0) {
          const message = await formatErrors(result.errors);
          if (lastHash === undefined) initialError = message;
          else options.onRebuildError(message);
          return;
        }
        const hash = codeHash(await record(result, options.buildDir, buildStartedAt));
        if (lastHash !== undefined && hash !== lastHash) options.onRebuild(bundlePath);
        lastHash = hash;
      });
    },
  };
  const context = await esbuild.context({ ...buildOptions, plugins: [reloadPlugin] });
  if (cached === undefined) {
    try {
      await context.rebuild();
    } catch {
      // The plugin recorded the errors; rebuild() also rejects with them.
    }
    if (lastHash === undefined) {
      await context.dispose();
      throw new Error(
        `could not bundle the handler ${options.entry}:\n${initialError ?? 'unknown esbuild error'}\nFix the error above and start again.`,
      );
    }
  }
  if (options.watch) await context.watch();
  return { bundlePath, fromCache: cached !== undefined, dispose: () => context.dispose() };
}
