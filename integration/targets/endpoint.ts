import { defaultStackName } from '../../infra/stack-outputs';
import { defaultLocalStackRegion } from '../../localstack/cdklocal-env';
import { deployToEndpoint, findOnEndpoint } from '../../localstack/deploy-to-endpoint';
import { normalizeEndpoint } from '../../localstack/endpoint';
import { targetFromDeployment } from './deployed';
import type { StartedTarget } from './target';
import { warmUp } from './warm-up';

/**
 * An already running LocalStack-compatible endpoint (AWS_ENDPOINT_URL), e.g. the one
 * `docker compose up` starts. The stack found there is used as is; when there is none, it is
 * deployed with cdklocal first. The suite leaves both running.
 */
export async function startEndpointTarget(env = process.env): Promise<StartedTarget> {
  const raw = env.AWS_ENDPOINT_URL?.trim();
  if (!raw) {
    throw new Error(
      'PIPELINE_TARGET=endpoint needs AWS_ENDPOINT_URL, e.g. AWS_ENDPOINT_URL=http://localhost:4566 ' +
        '(docker compose up starts one there)',
    );
  }
  const endpoint = normalizeEndpoint(raw);
  const region = env.AWS_REGION?.trim() || defaultLocalStackRegion;
  const stackName = env.STACK_NAME?.trim() || defaultStackName;
  const found = await findOnEndpoint({ endpoint, region, stackName });
  const deployed =
    found ?? (await deployToEndpoint({ endpoint, region, stackName, output: 'quiet' }));
  const target = targetFromDeployment('endpoint', deployed);
  await warmUp(target);
  return target;
}
