import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseContextFlag, parseEnvironmentKind } from './environment-kind';
import { lambdaArchitecture } from './ingest-function';
import { PipelineStack, type PipelineStackProps } from './pipeline-stack';
import { defaultStackName } from './stack-outputs';

export interface PipelineAppOptions extends PipelineStackProps {
  /** Stack name; default: context `stackName`, else PushPipeline. */
  readonly stackName?: string;
}

/**
 * Adds the pipeline stack to an app, taking unset options from CDK context
 * (`-c environmentKind=local`, `-c athena=true`, `-c stackName=...`, `-c architecture=x86_64`), and checks it with cdk-nag's
 * AWS Solutions pack at synth: a finding that is not acknowledged (Validations.of(...).acknowledge)
 * fails the synth.
 */
export function addPipelineStack(app: App, options: PipelineAppOptions = {}): PipelineStack {
  const context = (key: string): unknown => app.node.tryGetContext(key);
  const stackName = options.stackName ?? String(context('stackName') ?? defaultStackName);
  const stack = new PipelineStack(app, stackName, {
    ...options,
    environmentKind: options.environmentKind ?? parseEnvironmentKind(context('environmentKind')),
    athenaTable: options.athenaTable ?? parseContextFlag('athena', context('athena')),
    architecture: options.architecture ?? lambdaArchitecture(context('architecture')),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
