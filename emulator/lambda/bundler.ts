import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { pipelineDefinition } from '../../pipeline/definition';

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
    write: false,
    logLevel: 'silent',
  };
}

async function formatErrors(errors: esbuild.Message[]): Promise<string> {
  const lines = await esbuild.formatMessages(errors, { kind: 'error', color: false });
  return lines.join('').trim();
}

/** Writes the outputs; returns a hash of the code so a rebuild that changed nothing is ignored. */
async function writeOutputs(result: esbuild.BuildResult): Promise<string> {
  const hash = createHash('sha256');
  for (const file of result.outputFiles ?? []) {
    await mkdir(path.dirname(file.path), { recursive: true });
    await writeFile(file.path, file.contents);
    if (!file.path.endsWith('.map')) hash.update(file.contents);
  }
  return hash.digest('hex');
}

/** Bundles the worker runtime, so it runs the same under jest, tsx or plain node. */
export async function buildWorkerRuntime(buildDir: string): Promise<string> {
  const outfile = path.join(buildDir, 'lambda-runtime.cjs');
  const result = await esbuild.build(
    functionBuildOptions(path.join(__dirname, 'worker-runtime.ts'), outfile),
  );
  await writeOutputs(result);
  return outfile;
}

export interface HandlerBundleOptions {
  /** Absolute path of the handler's entry file. */
  entry: string;
  buildDir: string;
  /** Rebuild when a source file of the bundle changes. */
  watch: boolean;
  /** Called after a rebuild that changed the bundle. */
  onRebuild: (bundlePath: string) => void;
  /** Called when a rebuild fails; the previous bundle stays in use. */
  onRebuildError: (message: string) => void;
}

export interface HandlerBundle {
  bundlePath: string;
  dispose(): Promise<void>;
}

/** Bundles the handler once; with `watch`, keeps esbuild watching its sources (handler/, model/...). */
export async function bundleHandler(options: HandlerBundleOptions): Promise<HandlerBundle> {
  const bundlePath = path.join(options.buildDir, 'handler.cjs');
  let lastHash: string | undefined;
  let initialError: string | undefined;
  const reloadPlugin: esbuild.Plugin = {
    name: 'emulator-reload',
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length > 0) {
          const message = await formatErrors(result.errors);
          if (lastHash === undefined) initialError = message;
          else options.onRebuildError(message);
          return;
        }
        const hash = await writeOutputs(result);
        if (lastHash !== undefined && hash !== lastHash) options.onRebuild(bundlePath);
        lastHash = hash;
      });
    },
  };
  const context = await esbuild.context({
    ...functionBuildOptions(options.entry, bundlePath),
    plugins: [reloadPlugin],
  });
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
  if (options.watch) await context.watch();
  return { bundlePath, dispose: () => context.dispose() };
}
