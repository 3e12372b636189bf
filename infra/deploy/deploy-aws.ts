import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { producerEnv, writeEnvFile } from '../../pipeline/env-file';
import { defaultStackName } from '../stack-outputs';
import { fetchApiKeyValue } from './api-key';
import { deployArgs, runCdk } from './cdk-command';
import { type DeployedPipeline, pipelineFromOutputs } from './deployed-pipeline';
import { readStackOutputs, regionFromApiUrl } from './outputs-file';

export interface DeployToAwsOptions {
  readonly stackName?: string;
  /** Env file to set API_URL and API_KEY in (other lines are kept); unset: none written. */
  readonly envFile?: string;
  /** Skip the IAM-change confirmation (CI). */
  readonly approve?: boolean;
  /** Further `cdk deploy` arguments, e.g. ['--profile', 'dev']. */
  readonly extraArgs?: readonly string[];
  readonly output?: 'inherit' | 'quiet';
}

/**
 * Deploys the stack to the AWS account and region of the caller's credentials with the pinned
 * CDK CLI (the account must be bootstrapped: `npx cdk bootstrap`), then reads the outputs and
 * the API key's value.
 */
export async function deployToAws(options: DeployToAwsOptions = {}): Promise<DeployedPipeline> {
  const stackName = options.stackName ?? defaultStackName;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-deploy-'));
  try {
    const outputsFile = path.join(dir, 'outputs.json');
    await runCdk({
      cli: 'cdk',
      args: deployArgs({
        stackName,
        outputsFile,
        approve: options.approve,
        context: { stackName, environmentKind: 'aws' },
        extra: options.extraArgs,
      }),
      output: options.output,
    });
    const outputs = await readStackOutputs(outputsFile, stackName);
    const region = regionFromApiUrl(outputs.ApiUrl);
    const apiGateway = new APIGatewayClient({ region });
    const apiKey = await fetchApiKeyValue(apiGateway, outputs.ApiKeyId).finally(() =>
      apiGateway.destroy(),
    );
    const pipeline = pipelineFromOutputs(outputs, {
      apiUrl: outputs.ApiUrl,
      apiKey,
      region,
      s3: { region, forcePathStyle: false },
    });
    if (options.envFile) await writeEnvFile(options.envFile, producerEnv(pipeline));
    return pipeline;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
