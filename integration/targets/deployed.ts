import type { DeployedPipeline } from '../../infra/deploy/deployed-pipeline';
import { localStackCredentials } from '../../localstack/cdklocal-env';
import type { StartedTarget, TargetDifferences, TargetName } from './target';

/** A deployed stack (LocalStack or AWS) as the suite sees it. */
export function targetFromDeployment(
  name: Exclude<TargetName, 'embedded'>,
  deployed: DeployedPipeline,
  stop: () => Promise<void> = async () => {},
): StartedTarget {
  const emulated = deployed.s3.endpoint !== undefined;
  const differences: TargetDifferences = {
    // LocalStack enforces API keys but not usage-plan throttling (its docs and ARCHITECTURE.md).
    enforcesThrottling: !emulated,
  };
  return {
    name,
    apiUrl: deployed.apiUrl,
    apiKey: deployed.apiKey,
    bucket: deployed.bucketName,
    s3: emulated
      ? {
          region: deployed.region,
          endpoint: deployed.s3.endpoint,
          forcePathStyle: deployed.s3.forcePathStyle,
          credentials: { ...localStackCredentials },
        }
      : { region: deployed.region },
    differences,
    stop,
  };
}
