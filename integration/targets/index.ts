import { startAwsTarget } from './aws';
import { startEmbeddedTarget } from './embedded';
import { startEndpointTarget } from './endpoint';
import { startLocalStackTarget } from './localstack';
import { type StartedTarget, type TargetName, targetFromEnv } from './target';

export type { StartedTarget, TargetName } from './target';
export { targetFromEnv } from './target';

/**
 * How long starting each target may take (the suite's beforeAll), rather than jest's 60 s default:
 * - localstack: build the deploy image (npm ci inside, minutes on a first build), start LocalStack,
 *   bootstrap and deploy with cdklocal, and a first invocation that pulls the Lambda runtime;
 * - endpoint: possibly a deploy and the first invocation too; aws: finding the stack only.
 */
export const startBudgetMs: Readonly<Record<TargetName, number>> = {
  embedded: 60_000,
  localstack: 25 * 60_000,
  endpoint: 15 * 60_000,
  aws: 2 * 60_000,
};

/** Starts (or finds) the pipeline the suite runs against: PIPELINE_TARGET, default embedded. */
export async function startTarget(name: TargetName = targetFromEnv()): Promise<StartedTarget> {
  switch (name) {
    case 'embedded':
      return startEmbeddedTarget();
    case 'localstack':
      return startLocalStackTarget();
    case 'endpoint':
      return startEndpointTarget();
    case 'aws':
      return startAwsTarget();
  }
}
