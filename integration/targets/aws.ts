import { findDeployedPipeline } from '../../infra/deploy/find-deployed';
import { defaultStackName } from '../../infra/stack-outputs';
import { targetFromDeployment } from './deployed';
import type { StartedTarget } from './target';

/**
 * A stack already deployed to AWS (`npm run deploy:aws`), found from its outputs with the
 * caller's credentials. The suite never deploys to or tears down a real account by itself.
 */
export async function startAwsTarget(env = process.env): Promise<StartedTarget> {
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) {
    throw new Error('PIPELINE_TARGET=aws needs AWS_REGION (the region the stack is deployed in)');
  }
  const stackName = env.STACK_NAME?.trim() || defaultStackName;
  const deployed = await findDeployedPipeline({
    stackName,
    region,
    forcePathStyle: false,
    apiUrl: ({ ApiUrl }) => ApiUrl,
  });
  if (!deployed) {
    throw new Error(
      `no deployed stack ${stackName} in ${region}: run npm run deploy:aws first (or set STACK_NAME)`,
    );
  }
  return targetFromDeployment('aws', deployed);
}
