import { startAwsTarget } from './aws';
import { startEmbeddedTarget } from './embedded';
import { startEndpointTarget } from './endpoint';
import { startLocalStackTarget } from './localstack';
import { type StartedTarget, type TargetName, targetFromEnv } from './target';

export type { StartedTarget, TargetName } from './target';
export { targetFromEnv } from './target';

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
