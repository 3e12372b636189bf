import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { pipelineDefinition } from '../deployment/definition';
import { repoRoot } from '../deployment/repo-root';

const run = promisify(execFile);

export interface LambdaBundle {
  /** The function's index.js. */
  file: string;
  bytes: number;
  mapBytes: number;
  how: string;
}

interface Template {
  Resources: Record<
    string,
    { Type: string; Properties?: { Handler?: string; Code?: { S3Key?: unknown } } }
  >;
}

/**
 * `npx cdk synth` into `outDir`, then the asset of the function whose handler is the definition's
 * (index.<exportName>): exactly what `cdk deploy` uploads.
 */
export async function synthLambdaBundle(outDir: string): Promise<LambdaBundle> {
  await run('npx', ['cdk', 'synth', '--quiet', '--output', outDir], {
    cwd: repoRoot,
    timeout: 180_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const templates = (await readdir(outDir)).filter((f) => f.endsWith('.template.json'));
  const handler = `index.${pipelineDefinition.function.exportName}`;
  for (const t of templates) {
    const template = JSON.parse(await readFile(path.join(outDir, t), 'utf8')) as Template;
    for (const resource of Object.values(template.Resources)) {
      const key = resource.Properties?.Code?.S3Key;
      if (resource.Type !== 'AWS::Lambda::Function' || resource.Properties?.Handler !== handler)
        continue;
      if (typeof key !== 'string') continue;
      const file = path.join(outDir, `asset.${key.replace(/\.zip$/, '')}`, 'index.js');
      return { file, ...(await sizes(file)), how: `npx cdk synth (asset of ${t})` };
    }
  }
  throw new Error(`no Lambda function with handler ${handler} in ${outDir}: did the stack change?`);
}

/**
 * The same bundle without CDK: esbuild with the function's bundling settings from
 * deployment/definition.ts, which the CDK NodejsFunction and the emulator both use. Quick mode uses
 * this; a full run cross-checks it against cdk synth.
 */
export async function esbuildLambdaBundle(outDir: string): Promise<LambdaBundle> {
  const fn = pipelineDefinition.function;
  const file = path.join(outDir, 'index.js');
  await esbuild.build({
    entryPoints: [path.join(repoRoot, fn.entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: fn.bundling.target,
    format: fn.bundling.format,
    mainFields: [...fn.bundling.mainFields],
    minify: fn.bundling.minify,
    sourcemap: fn.bundling.sourceMap,
    sourcesContent: fn.bundling.sourcesContent,
    logLevel: 'silent',
  });
  return { file, ...(await sizes(file)), how: "esbuild with the definition's bundling settings" };
}

async function sizes(file: string): Promise<{ bytes: number; mapBytes: number }> {
  const bytes = (await stat(file)).size;
  const mapBytes = await stat(`${file}.map`).then(
    (s) => s.size,
    () => 0,
  );
  return { bytes, mapBytes };
}

/**
 * Lambda's init of this bundle, approximated: a fresh plain Node process requires it (no tsx, no
 * source maps) and reports how long the require took.
 */
export async function timeBundleInit(file: string): Promise<number> {
  const code = `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t));`;
  const { stdout } = await run(process.execPath, ['-e', code], {
    cwd: path.dirname(file),
    env: {
      PATH: process.env.PATH ?? '',
      [pipelineDefinition.function.bucketEnvVar]: 'bench',
      AWS_REGION: 'us-east-1',
    },
    timeout: 60_000,
  });
  return Number(stdout);
}
