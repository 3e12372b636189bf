import { needsPathStyle, normalizeEndpoint } from './endpoint';

export interface CdklocalEnvOptions {
  readonly endpoint: string;
  readonly region?: string;
  /** The environment to start from (default process.env); it is not modified. */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

/** LocalStack accepts any credentials; these dummies keep real ones away from the emulator. */
export const localStackCredentials = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
export const defaultLocalStackRegion = 'us-east-1';

/**
 * The environment cdklocal (aws-cdk-local 3.x) needs to deploy into `endpoint`:
 * - AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_S3 both (it refuses the first without the second);
 * - dummy credentials and the region, named in AWS_ENVAR_ALLOWLIST, because cdklocal deletes every
 *   other AWS_* variable before the CDK CLI starts;
 * - when the host cannot serve <bucket>.<host> names: AWS_S3_FORCE_PATH_STYLE=1 (allowlisted too)
 *   for cdklocal's own clients, and CDK_S3_FORCE_PATH_STYLE=1 for the CDK CLI's. The CLI's asset
 *   publisher sets `forcePathStyle` itself, true only with CDK_S3_FORCE_PATH_STYLE or a loopback
 *   endpoint, which overrides cdklocal's patch: without it a deploy to http://localstack:4566
 *   uploads to <bucket>.localstack, which does not resolve (ENOTFOUND).
 * The caller's other AWS_* variables (profiles, session tokens) are removed here already, so real
 * credentials never reach an emulator deployment.
 */
export function cdklocalEnvironment(options: CdklocalEnvOptions): NodeJS.ProcessEnv {
  const endpoint = normalizeEndpoint(options.endpoint);
  const region = options.region ?? defaultLocalStackRegion;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.baseEnv ?? process.env)) {
    if (!key.startsWith('AWS_')) env[key] = value;
  }
  const aws: Record<string, string> = {
    AWS_ACCESS_KEY_ID: localStackCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localStackCredentials.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
  const pathStyle = needsPathStyle(endpoint);
  if (pathStyle) aws.AWS_S3_FORCE_PATH_STYLE = '1';
  return {
    ...env,
    ...aws,
    ...(pathStyle ? { CDK_S3_FORCE_PATH_STYLE: '1' } : {}),
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ENVAR_ALLOWLIST: Object.keys(aws).join(','),
  };
}
