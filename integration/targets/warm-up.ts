import { describeAnswer, probeWithEmptyBatch } from '../../deployment/empty-batch-probe';
import type { PipelineTarget } from '../../deployment/target';

export interface WarmUpOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Invokes the function once before any case runs: on LocalStack the first invocation pulls the
 * Lambda runtime image and starts its container (minutes on a cold 2-core machine), which belongs
 * in the start hook's budget, not in the first case's. An empty batch is the handler's own 400:
 * it proves gateway, key and function answer, and writes nothing.
 */
export async function warmUp(
  target: Pick<PipelineTarget, 'apiUrl' | 'apiKey'>,
  options: WarmUpOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const outcome = await probeWithEmptyBatch(target, (status) => status === 400, {
    timeoutMs,
    intervalMs: options.intervalMs ?? 2_000,
  });
  if (outcome.done) return;
  throw new Error(
    `the function did not answer a first request at ${target.apiUrl} within ${timeoutMs / 1000} s (last: ${describeAnswer(outcome.last)})`,
  );
}
