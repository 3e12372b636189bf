import path from 'node:path';
import { pipelineDefinition } from '../../deployment/definition';

/** The function as the emulator deploys it: names, limits and where it runs. */
export interface FunctionConfig {
  functionName: string;
  region: string;
  accountId: string;
  memoryMB: number;
  timeoutMs: number;
}

export function functionArn(config: FunctionConfig): string {
  return `arn:aws:lambda:${config.region}:${config.accountId}:function:${config.functionName}`;
}

export function logGroupName(config: FunctionConfig): string {
  return `/aws/lambda/${config.functionName}`;
}

export interface EnvironmentInputs {
  config: FunctionConfig;
  bucket: string;
  /** The emulator's S3 endpoint URL. */
  s3Endpoint: string;
  /** Where the bundle lives (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  exportName: string;
  /** Extra variables (tests, Powertools settings); they win over the defaults. */
  extra?: Record<string, string>;
}

/**
 * The deployed function's environment: its own variables (the bucket), the variables Lambda sets,
 * and what points the SDK at the emulator. Nothing of the host's environment leaks in (no
 * profile, no real credentials), just as a Lambda sandbox starts from a clean environment.
 */
export function functionEnvironment(inputs: EnvironmentInputs): Record<string, string> {
  const { config } = inputs;
  // The SDK reads ~/.aws/config for settings the environment does not give; Lambda has none.
  const noSharedConfig = path.join(inputs.taskRoot, 'no-aws-shared-config');
  return {
    [pipelineDefinition.function.bucketEnvVar]: inputs.bucket,
    AWS_REGION: config.region,
    AWS_DEFAULT_REGION: config.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_S3: inputs.s3Endpoint,
    AWS_S3_FORCE_PATH_STYLE: 'true',
    AWS_CONFIG_FILE: noSharedConfig,
    AWS_SHARED_CREDENTIALS_FILE: noSharedConfig,
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMB),
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(config),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${pipelineDefinition.function.runtime}`,
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    LAMBDA_TASK_ROOT: inputs.taskRoot,
    _HANDLER: `index.${inputs.exportName}`,
    LANG: 'en_US.UTF-8',
    ...inputs.extra,
  };
}
