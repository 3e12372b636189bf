import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { STRICT_CFN_VALIDATE_ERRORS } from 'aws-cdk-lib/cx-api';
import { addPipelineStack, type PipelineAppOptions } from '../../infra/pipeline-app';
import type { PipelineStack } from '../../infra/pipeline-stack';

export interface TestApp {
  readonly app: App;
  readonly stack: PipelineStack;
  readonly outdir: string;
  /** Removes the temporary cloud assembly directory. */
  dispose(): void;
}

export interface TestAppOptions extends PipelineAppOptions {
  /** Bundle the handler with esbuild, as `cdk deploy` does; default false. */
  readonly bundle?: boolean;
  /**
   * Run the CDK's built-in CloudFormation validation at synth, as `cdk synth` does, and fail the
   * synth on any finding it reports; default false. Its engine is a 9 MB WebAssembly module that
   * costs seconds to load in every test file: pipeline-stack.test.ts runs it, the others need not.
   */
  readonly cfnValidation?: boolean;
  readonly context?: Record<string, unknown>;
}

/**
 * The app as infra/app.ts builds it (cdk-nag plugin included), in a temp outdir, with cdk.json's
 * context. `bundle: false` sets `aws:cdk:bundling-stacks` to [] so NodejsFunction skips esbuild.
 */
export function createTestApp(options: TestAppOptions = {}): TestApp {
  const { bundle = false, cfnValidation = false, context = {}, ...stackOptions } = options;
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'push-pipeline-cdk-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: cfnValidation,
    context: {
      '@aws-cdk/aws-apigateway:disableCloudWatchRole': true,
      ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      // Without it, the CDK reports the validation's findings as warnings and the synth passes.
      ...(cfnValidation ? { [STRICT_CFN_VALIDATE_ERRORS]: true } : {}),
      ...context,
    },
  });
  const stack = addPipelineStack(app, stackOptions);
  return { app, stack, outdir, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}
