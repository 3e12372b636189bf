import type { PipelineTarget } from '../../deployment/target';

export const targetNames = ['embedded', 'localstack', 'endpoint', 'aws'] as const;
export type TargetName = (typeof targetNames)[number];

/**
 * What the suite knows of a running pipeline, the same on every target: the cases never branch on
 * the target. (The usage-plan throttle, which LocalStack does not enforce, is tested on the
 * embedded gateway in test/emulator/, with limits small enough to reach.)
 */
export interface StartedTarget extends PipelineTarget {
  readonly name: TargetName;
  stop(): Promise<void>;
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
