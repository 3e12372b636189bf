import { setTimeout as sleep } from 'node:timers/promises';
import { pipelineDefinition } from './definition';

/** What one probe got: the API's answer, or why there was none. */
export type ProbeAnswer = { status: number; body: string } | { error: string };

export interface EmptyBatchProbeOptions {
  /** How long to keep trying. */
  readonly timeoutMs: number;
  /** Pause between probes. */
  readonly intervalMs: number;
  /** Time one probe may take; default what is left of `timeoutMs` (at least 1 s). */
  readonly requestTimeoutMs?: number;
  /** Called after each answer `done` did not accept. */
  readonly onMiss?: (answer: ProbeAnswer, probes: number) => void;
}

export interface ProbeOutcome {
  readonly done: boolean;
  readonly probes: number;
  readonly last: ProbeAnswer;
}

/**
 * POSTs an empty batch (`[]`) to a deployed API with its key until `done` accepts the status or
 * the time is up. The handler refuses an empty batch with 400 before it touches S3, so a probe
 * stores nothing. Network errors (a new API's name still resolving) count as answers not done.
 */
export async function probeWithEmptyBatch(
  target: { apiUrl: string; apiKey: string },
  done: (status: number) => boolean,
  options: EmptyBatchProbeOptions,
): Promise<ProbeOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  let probes = 0;
  for (;;) {
    probes += 1;
    const last = await probe(
      target,
      options.requestTimeoutMs ?? Math.max(1_000, deadline - Date.now()),
    );
    if ('status' in last && done(last.status)) return { done: true, probes, last };
    options.onMiss?.(last, probes);
    const left = deadline - Date.now();
    if (left <= 0) return { done: false, probes, last };
    await sleep(Math.min(options.intervalMs, left));
  }
}

async function probe(
  target: { apiUrl: string; apiKey: string },
  timeoutMs: number,
): Promise<ProbeAnswer> {
  try {
    const response = await fetch(target.apiUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [pipelineDefinition.api.apiKeyHeader]: target.apiKey,
      },
      body: '[]',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: (await response.text()).trim().slice(0, 200) };
  } catch (error) {
    if (!(error instanceof Error)) return { error: String(error) };
    const { cause } = error;
    return {
      error: cause instanceof Error ? `${error.message} (${cause.message})` : error.message,
    };
  }
}

/** An answer for a message: `HTTP 403 {"message":"Forbidden"}`, or the network error. */
export function describeAnswer(answer: ProbeAnswer): string {
  return 'status' in answer ? `HTTP ${answer.status} ${answer.body}` : answer.error;
}
