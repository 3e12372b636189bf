import { pipelineDefinition } from '../../deployment/definition';
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
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    const left = Math.max(1_000, deadline - Date.now());
    try {
      const response = await fetch(target.apiUrl, {
        method: 'POST',
        headers: {
          [pipelineDefinition.api.apiKeyHeader]: target.apiKey,
          'content-type': 'application/json',
        },
        body: '[]',
        signal: AbortSignal.timeout(left),
      });
      const body = await response.text();
      if (response.status === 400) return;
      last = `HTTP ${response.status} ${body.slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `the function did not answer a first request at ${target.apiUrl} within ${timeoutMs / 1000} s (last: ${last})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 2_000));
  }
}
