/** Which target a `npm run query` command means, from its flags and the environment. */

import { athenaWorkgroupName, glueDatabaseName } from '../infra/athena-names';
import { defaultStackName } from '../infra/stack-outputs';
import { defaultLocalStackRegion, localStackCredentials } from '../localstack/cdklocal-env';
import { findOnEndpoint } from '../localstack/deploy-to-endpoint';
import { needsPathStyle, normalizeEndpoint } from '../localstack/endpoint';
import { QueryError } from '../query/errors';
import type { QueryTarget } from '../query/types';

export const targetChoices = ['embedded', 'endpoint', 'aws'] as const;
type TargetChoice = (typeof targetChoices)[number];

export interface TargetFlags {
  target?: string;
  dataDir: string;
  bucket?: string;
  endpoint?: string;
  stackName?: string;
  region?: string;
}

function choice(flags: TargetFlags, env: NodeJS.ProcessEnv): TargetChoice {
  const value = flags.target ?? (env.PIPELINE_TARGET?.trim() || 'embedded');
  if (value === 'localstack') {
    throw new QueryError(
      "PIPELINE_TARGET=localstack is the test suite's own container; for a running LocalStack use --target endpoint with AWS_ENDPOINT_URL",
    );
  }
  const found = targetChoices.find((c) => c === value);
  if (!found) {
    throw new QueryError(`unknown target ${value}; use one of ${targetChoices.join(', ')}`);
  }
  return found;
}

export async function resolveTarget(
  flags: TargetFlags,
  env: NodeJS.ProcessEnv,
): Promise<QueryTarget> {
  const which = choice(flags, env);
  const stackName = flags.stackName ?? (env.STACK_NAME?.trim() || defaultStackName);
  if (which === 'embedded') {
    return {
      kind: 'embedded',
      dataDir: flags.dataDir,
      ...(flags.bucket && { bucket: flags.bucket }),
    };
  }
  if (which === 'aws') {
    const region = flags.region ?? (env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim());
    if (!region) {
      throw new QueryError("--target aws needs the stack's region: --region or AWS_REGION");
    }
    return {
      kind: 'athena',
      region,
      workgroup: athenaWorkgroupName(stackName),
      database: glueDatabaseName(stackName),
    };
  }
  const raw = flags.endpoint ?? env.AWS_ENDPOINT_URL?.trim();
  if (!raw) {
    throw new QueryError(
      '--target endpoint needs the endpoint: --endpoint or AWS_ENDPOINT_URL (e.g. http://localhost:4566, which docker compose up starts)',
    );
  }
  let endpoint: string;
  try {
    endpoint = normalizeEndpoint(raw);
  } catch (error) {
    throw new QueryError((error as Error).message);
  }
  const region = flags.region ?? (env.AWS_REGION?.trim() || defaultLocalStackRegion);
  const s3 = {
    region,
    endpoint,
    forcePathStyle: needsPathStyle(endpoint),
    credentials: { ...localStackCredentials },
  };
  if (flags.bucket) return { kind: 's3', s3, bucket: flags.bucket };
  const deployed = await findOnEndpoint({ endpoint, stackName, region }).catch((error: unknown) => {
    throw new QueryError(
      `cannot read stack ${stackName} at ${endpoint} (${(error as Error).message}); is the endpoint up? Or give --bucket`,
    );
  });
  if (!deployed) {
    throw new QueryError(
      `no stack ${stackName} at ${endpoint}: deploy it (npm run deploy:local) or give --bucket`,
    );
  }
  return { kind: 's3', s3, bucket: deployed.bucket };
}
