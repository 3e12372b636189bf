import type { DeployedPipeline } from '../../infra/deploy/deployed-pipeline';
import type { StartedTarget, TargetName } from './target';

/** A deployed stack (LocalStack or AWS) as the suite sees it. */
export function targetFromDeployment(
  name: Exclude<TargetName, 'embedded'>,
  deployed: DeployedPipeline,
  stop: () => Promise<void> = async () => {},
): StartedTarget {
  return {
    name,
    apiUrl: deployed.apiUrl,
    apiKey: deployed.apiKey,
    bucket: deployed.bucket,
    s3: deployed.s3,
    functionName: deployed.functionName,
    lambda: deployed.lambda,
    stop,
  };
}
