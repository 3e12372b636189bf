import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { parseStackOutputs, type StackOutputs } from '../stack-outputs';
import { fetchApiKeyValue } from './api-key';
import { type DeployedPipeline, pipelineFromOutputs } from './deployed-pipeline';

export interface FindDeployedOptions {
  readonly stackName: string;
  readonly region: string;
  /** An emulator endpoint; unset: AWS itself, with the default credential chain. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly forcePathStyle: boolean;
  /** The invoke URL from the outputs (AWS: ApiUrl; LocalStack: built from ApiId and Stage). */
  readonly apiUrl: (outputs: StackOutputs) => string;
}

/** Stack states whose outputs describe a working deployment. */
const usable = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);

/**
 * Describes a stack that is already deployed, from its CloudFormation outputs and the API key's
 * value, without deploying anything. Undefined when there is no such stack, or only a failed one
 * (deploy it then); an error while it is still being created, updated or deleted.
 */
export async function findDeployedPipeline(
  options: FindDeployedOptions,
): Promise<DeployedPipeline | undefined> {
  const clientConfig = {
    region: options.region,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: { ...options.credentials } }),
  };
  const cloudFormation = new CloudFormationClient(clientConfig);
  let found: Awaited<ReturnType<typeof describeStack>>;
  try {
    found = await describeStack(cloudFormation, options.stackName);
  } finally {
    cloudFormation.destroy();
  }
  if (found === undefined) return undefined;
  const status = found.StackStatus ?? 'UNKNOWN';
  if (status.endsWith('_IN_PROGRESS')) {
    throw new Error(
      `stack ${options.stackName} is ${status}; wait for it to finish, then run again`,
    );
  }
  if (!usable.has(status)) return undefined;

  const values = Object.fromEntries(
    (found.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']),
  );
  const outputs = parseStackOutputs({ [options.stackName]: values }, options.stackName);
  const apiGateway = new APIGatewayClient(clientConfig);
  const apiKey = await fetchApiKeyValue(apiGateway, outputs.ApiKeyId).finally(() =>
    apiGateway.destroy(),
  );
  return pipelineFromOutputs(outputs, {
    apiUrl: options.apiUrl(outputs),
    apiKey,
    region: options.region,
    s3: {
      region: options.region,
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
      ...(options.credentials !== undefined && { credentials: { ...options.credentials } }),
      forcePathStyle: options.forcePathStyle,
    },
  });
}

/** The stack as DescribeStacks tells it; undefined when there is no such stack. */
export async function describeStack(client: CloudFormationClient, stackName: string) {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0];
  } catch (error) {
    // CloudFormation answers a missing stack with a ValidationError "... does not exist".
    if (
      error instanceof Error &&
      error.name === 'ValidationError' &&
      /does not exist/.test(error.message)
    ) {
      return undefined;
    }
    throw error;
  }
}
