import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { pipelineDefinition } from '../deployment/definition';
import { producerEnv, writeEnvFile } from '../deployment/env-file';
import { fetchApiKeyValue } from '../infra/deploy/api-key';
import { contextArgs, deployArgs, runCdk } from '../infra/deploy/cdk-command';
import { type DeployedPipeline, pipelineFromOutputs } from '../infra/deploy/deployed-pipeline';
import { findDeployedPipeline } from '../infra/deploy/find-deployed';
import { readStackOutputs } from '../infra/deploy/outputs-file';
import { defaultStackName } from '../infra/stack-outputs';
import {
  cdklocalEnvironment,
  defaultLocalStackRegion,
  localStackCredentials,
} from './cdklocal-env';
import { needsPathStyle, normalizeEndpoint } from './endpoint';
import { waitForFunctionActive } from './function-active';
import { waitForLocalStack } from './health';
import { type InvokeUrlStyle, localStackInvokeUrl } from './invoke-url';

export interface DeployToEndpointOptions {
  /** A LocalStack-compatible endpoint, e.g. http://localhost:4566 or http://localstack:4566. */
  readonly endpoint: string;
  readonly region?: string;
  readonly stackName?: string;
  /** Invoke URL form (see localStackInvokeUrl); default 'path', which works from anywhere. */
  readonly urlStyle?: InvokeUrlStyle;
  /** Env file to set API_URL and API_KEY in; unset: none written. */
  readonly envFile?: string;
  /** Its permissions; default 0o600 (owner only). */
  readonly envFileMode?: number;
  /** 'quiet' hides cdklocal's output unless it fails (the integration suite). Default 'inherit'. */
  readonly output?: 'inherit' | 'quiet';
  /** How long to wait for the emulator's health endpoint; default 60 s. */
  readonly healthTimeoutMs?: number;
  /** How long to wait for the deployed function to be Active; default 120 s. */
  readonly functionActiveTimeoutMs?: number;
}

/**
 * Deploys the stack into a LocalStack(-compatible) endpoint with cdklocal and describes the
 * result once its function is Active. Idempotent: bootstrap and deploy are no-ops when nothing
 * changed, and a fresh emulator (restarted container) is bootstrapped again.
 */
export async function deployToEndpoint(
  options: DeployToEndpointOptions,
): Promise<DeployedPipeline> {
  const endpoint = normalizeEndpoint(options.endpoint);
  const region = options.region ?? defaultLocalStackRegion;
  const stackName = options.stackName ?? defaultStackName;
  const env = cdklocalEnvironment({ endpoint, region });
  const context = { stackName, environmentKind: 'local' };

  await waitForLocalStack(endpoint, { timeoutMs: options.healthTimeoutMs });
  await runCdk({
    cli: 'cdklocal',
    args: ['bootstrap', ...contextArgs(context)],
    env,
    output: options.output,
  });

  const dir = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-deploy-'));
  try {
    const outputsFile = path.join(dir, 'outputs.json');
    await runCdk({
      cli: 'cdklocal',
      args: deployArgs({ stackName, outputsFile, context, approve: true }),
      env,
      output: options.output,
    });
    const outputs = await readStackOutputs(outputsFile, stackName);
    const apiGateway = new APIGatewayClient({
      endpoint,
      region,
      credentials: localStackCredentials,
    });
    const apiKey = await fetchApiKeyValue(apiGateway, outputs.ApiKeyId).finally(() =>
      apiGateway.destroy(),
    );
    const pipeline = pipelineFromOutputs(outputs, {
      apiUrl: localStackInvokeUrl({
        endpoint,
        apiId: outputs.ApiId,
        stage: outputs.Stage,
        path: pipelineDefinition.api.routes[0].path,
        style: options.urlStyle,
      }),
      apiKey,
      region,
      s3: {
        region,
        endpoint,
        forcePathStyle: needsPathStyle(endpoint),
        credentials: { ...localStackCredentials },
      },
    });
    await waitForFunctionActive(pipeline.lambda, pipeline.functionName, {
      timeoutMs: options.functionActiveTimeoutMs,
    });
    if (options.envFile) {
      await writeEnvFile(options.envFile, producerEnv(pipeline), options.envFileMode);
    }
    return pipeline;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The pipeline already deployed on a LocalStack-compatible endpoint, from its stack's outputs (the
 * API URL in LocalStack's path form); undefined when there is no such stack.
 */
export function findOnEndpoint(options: {
  endpoint: string;
  stackName?: string;
  region?: string;
}): Promise<DeployedPipeline | undefined> {
  const { endpoint } = options;
  return findDeployedPipeline({
    stackName: options.stackName || defaultStackName,
    region: options.region || defaultLocalStackRegion,
    endpoint,
    credentials: { ...localStackCredentials },
    forcePathStyle: needsPathStyle(endpoint),
    apiUrl: ({ ApiId, Stage }) =>
      localStackInvokeUrl({
        endpoint,
        apiId: ApiId,
        stage: Stage,
        path: pipelineDefinition.api.routes[0].path,
      }),
  });
}
