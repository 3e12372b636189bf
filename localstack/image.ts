/**
 * The LocalStack image and settings, shared by docker-compose.yml (which repeats them; a test
 * checks both agree) and the integration suite's testcontainers target.
 *
 * 4.14.0 is the last tag that starts without an account: later tags exit with code 55 unless
 * LOCALSTACK_AUTH_TOKEN is set. LOCALSTACK_IMAGE picks another tag (with a token).
 */
export const defaultLocalStackImage = 'localstack/localstack:4.14.0';

export function localStackImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOCALSTACK_IMAGE?.trim() || defaultLocalStackImage;
}

export function localStackAuthToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.LOCALSTACK_AUTH_TOKEN?.trim() || undefined;
}

/**
 * The emulator's environment for this pipeline: Lambda functions built for arm64 run on the
 * host's architecture (plain JavaScript, no qemu needed), the first invocation may pull the
 * runtime image, and the token is passed when there is one. `lambdaNetwork` names the Docker
 * network the function containers must join to reach LocalStack's S3.
 */
export function localStackEnvironment(
  options: { readonly authToken?: string; readonly lambdaNetwork?: string } = {},
): Record<string, string> {
  return {
    LAMBDA_IGNORE_ARCHITECTURE: '1',
    LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT: '120',
    ...(options.lambdaNetwork !== undefined && { LAMBDA_DOCKER_NETWORK: options.lambdaNetwork }),
    ...(options.authToken !== undefined && { LOCALSTACK_AUTH_TOKEN: options.authToken }),
  };
}
