import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { producerEnv, writeEnvFile } from '../../deployment/env-file';
import { defaultStackName, type StackOutputs } from '../stack-outputs';
import { fetchApiKeyValue } from './api-key';
import { type AwsIdentity, awsClientConfig, identityForCdk, resolvedRegion } from './aws-identity';
import { deployArgs, runCdk } from './cdk-command';
import { type DeployedPipeline, pipelineFromOutputs } from './deployed-pipeline';
import { readStackOutputs, regionFromApiUrl } from './outputs-file';
import { type KeyReadinessOptions, waitUntilKeyAccepted } from './wait-for-key';

export interface DeployToAwsOptions {
  readonly stackName?: string;
  /** Env file to set API_URL and API_KEY in (other lines are kept); unset: none written. */
  readonly envFile?: string;
  /** Skip the IAM-change confirmation (CI). */
  readonly approve?: boolean;
  /** Further `cdk deploy` arguments, e.g. ['--profile', 'dev']; the scripts' clients use that profile too. */
  readonly extraArgs?: readonly string[];
  readonly output?: 'inherit' | 'quiet';
  /** How long to wait for the new API key to be accepted (see waitUntilKeyAccepted). */
  readonly readiness?: KeyReadinessOptions;
}

/**
 * Deploys the stack to the AWS account and region of the caller's credentials with the pinned
 * CDK CLI (the account must be bootstrapped: `npx cdk bootstrap`), then completes it: the API key's
 * value, .env, and a wait until the key is accepted.
 */
export async function deployToAws(options: DeployToAwsOptions = {}): Promise<DeployedPipeline> {
  const stackName = options.stackName ?? defaultStackName;
  const extra = options.extraArgs ?? [];
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
        extra,
      }),
      output: options.output,
    });
    const outputs = await readStackOutputs(outputsFile, stackName);
    return await completeAwsDeployment(outputs, identityForCdk(extra), options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What follows `cdk deploy`: reads the API key's value as the identity that deployed (the same
 * profile; the region the API is in), writes API_URL and API_KEY to the env file, then waits until
 * the gateway accepts the key, so the first producer run does not meet a 403.
 */
export async function completeAwsDeployment(
  outputs: StackOutputs,
  identity: AwsIdentity,
  options: Pick<DeployToAwsOptions, 'envFile' | 'readiness'> = {},
): Promise<DeployedPipeline> {
  const apiGateway = new APIGatewayClient(
    awsClientConfig(identity, regionOfApi(outputs.ApiUrl) ?? identity.region),
  );
  let pipeline: DeployedPipeline;
  try {
    const region = await resolvedRegion(apiGateway);
    const apiKey = await fetchApiKeyValue(apiGateway, outputs.ApiKeyId);
    pipeline = pipelineFromOutputs(outputs, {
      apiUrl: outputs.ApiUrl,
      apiKey,
      region,
      s3: { region, forcePathStyle: false },
    });
  } finally {
    apiGateway.destroy();
  }
  // Written before the wait: should the key take longer than the wait, .env is already right.
  if (options.envFile) await writeEnvFile(options.envFile, producerEnv(pipeline));
  await waitUntilKeyAccepted(pipeline.apiUrl, pipeline.apiKey, options.readiness);
  return pipeline;
}

/** The region an execute-api URL names; undefined for other URLs (a custom domain, a proxy). */
function regionOfApi(apiUrl: string): string | undefined {
  try {
    return regionFromApiUrl(apiUrl);
  } catch {
    return undefined;
  }
}
