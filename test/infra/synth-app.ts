import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addPipelineStack, type PipelineAppOptions } from '../../infra/pipeline-app';
import type { PipelineStack } from '../../infra/pipeline-stack';

export interface TestApp {
  readonly app: App;
  readonly stack: PipelineStack;
  readonly outdir: string;
  /** Removes the temporary cloud assembly directory. */
  dispose(): void;
}

/**
 * The app as infra/app.ts builds it (cdk-nag plugin included), in a temp outdir, with cdk.json's
 * context. `bundle: false` sets `aws:cdk:bundling-stacks` to [] so NodejsFunction skips esbuild.
 */
export function createTestApp(
  options: PipelineAppOptions & { bundle?: boolean; context?: Record<string, unknown> } = {},
): TestApp {
  const { bundle = false, context = {}, ...stackOptions } = options;
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'push-pipeline-cdk-'));
  const app = new App({
    outdir,
    context: {
      '@aws-cdk/aws-apigateway:disableCloudWatchRole': true,
      ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
  });
  const stack = addPipelineStack(app, stackOptions);
  return { app, stack, outdir, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}
