import type { PipelineTarget } from '../../pipeline/target';

export const targetNames = ['embedded', 'localstack', 'endpoint', 'aws'] as const;
export type TargetName = (typeof targetNames)[number];

/**
 * What the suite knows of a running pipeline, the same on every target: the cases never branch on
 * the target except through `differences`, each of which is documented where it is set.
 */
export interface StartedTarget extends PipelineTarget {
  readonly name: TargetName;
  readonly differences: TargetDifferences;
  stop(): Promise<void>;
}

export interface TargetDifferences {
  /** Whether the usage plan's rate/burst are enforced (429). LocalStack does not enforce them. */
  readonly enforcesThrottling: boolean;
}

/** PIPELINE_TARGET, checked: a typo fails loudly instead of quietly testing the default. */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): TargetName {
  const value = env.PIPELINE_TARGET?.trim() || 'embedded';
  const name = targetNames.find((candidate) => candidate === value);
  if (!name) {
    throw new Error(
      `PIPELINE_TARGET=${value} is not a target; use one of ${targetNames.join(', ')} (default embedded)`,
    );
  }
  return name;
}
