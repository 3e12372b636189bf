import type { PipelineTarget, S3Settings } from '../../deployment/target';
import type { StackOutputs } from '../stack-outputs';

/**
 * A deployed stack (LocalStack or AWS): the target description every target yields, plus where
 * the API lives. `s3.endpoint` and `s3.credentials` are set for emulators only.
 */
export interface DeployedPipeline extends PipelineTarget {
  readonly apiId: string;
  readonly stage: string;
  readonly region: string;
}

/**
 * The description from the stack outputs: `apiUrl` differs per target (AWS: the ApiUrl output;
 * LocalStack: built from the API id), `s3.endpoint` and `lambda.endpoint` are set for emulators
 * only.
 */
export function pipelineFromOutputs(
  outputs: StackOutputs,
  deployment: {
    readonly apiUrl: string;
    readonly apiKey: string;
    readonly region: string;
    readonly s3: S3Settings;
  },
): DeployedPipeline {
  const { endpoint, credentials } = deployment.s3;
  return {
    apiUrl: deployment.apiUrl,
    apiKey: deployment.apiKey,
    bucket: outputs.BucketName,
    apiId: outputs.ApiId,
    stage: outputs.Stage,
    region: deployment.region,
    s3: deployment.s3,
    functionName: outputs.FunctionName,
    // An emulator serves every service on its one endpoint (LocalStack's edge port), S3 and
    // Lambda alike; on AWS both are unset and the SDK finds the regional endpoint.
    lambda: {
      region: deployment.region,
      ...(endpoint !== undefined && { endpoint }),
      ...(credentials !== undefined && { credentials: { ...credentials } }),
    },
  };
}

/** Shows enough of a secret to tell keys apart in logs, never the whole value. */
export function maskSecret(secret: string): string {
  return secret.length <= 8 ? '****' : `${secret.slice(0, 4)}…${secret.slice(-2)}`;
}
