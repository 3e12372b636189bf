import { setTimeout as sleep } from 'node:timers/promises';
import { pipelineDefinition } from '../../deployment/definition';

export interface KeyReadinessOptions {
  /** How long to keep trying (default 120 s: new keys usually work within a minute). */
  readonly timeoutMs?: number;
  /** Pause between probes (default 2 s). */
  readonly intervalMs?: number;
  /** Time one probe may take (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Called once when the first probe is refused, to say why the script is waiting. */
  readonly onWaiting?: (message: string) => void;
}

export interface KeyReadiness {
  /** The status that ended the wait (anything but 403). */
  readonly status: number;
  readonly probes: number;
}

/**
 * Waits until the API accepts a key just created. API Gateway may answer 403 Forbidden with a new
 * key for a while after the usage plan links it (the link propagates), and producers treat 403
 * as final, so a deploy reports ready only once a probe gets past the key check.
 *
 * The probe POSTs an empty batch (`[]`): the function refuses it with 400 before touching S3,
 * so it stores nothing. Any status but 403 means the gateway accepted the key; network errors
 * (a new API's name still resolving) are retried like a 403, within the same time limit.
 */
export async function waitUntilKeyAccepted(
  apiUrl: string,
  apiKey: string,
  options: KeyReadinessOptions = {},
): Promise<KeyReadiness> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const intervalMs = options.intervalMs ?? 2_000;
  const deadline = Date.now() + timeoutMs;
  let probes = 0;
  let last = '';
  for (;;) {
    probes += 1;
    try {
      const response = await fetch(apiUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [pipelineDefinition.api.apiKeyHeader]: apiKey,
        },
        body: '[]',
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 10_000),
      });
      const text = await response.text();
      if (response.status !== 403) return { status: response.status, probes };
      last = `403 ${text.trim().slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? `${error.message}${causeOf(error)}` : String(error);
    }
    if (probes === 1) {
      options.onWaiting?.(
        `The API does not accept the new key yet (${last}); waiting up to ${Math.round(timeoutMs / 1000)} s for it to propagate...`,
      );
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(intervalMs, left));
  }
  throw new Error(
    `the API at ${apiUrl} still refuses the new key after ${Math.round(timeoutMs / 1000)} s (${probes} probes; last: ${last}). ` +
      'New keys usually work within a minute: try `npm run producer -- --n-events 1` shortly. If it stays 403, ' +
      'check that the usage plan lists the key and the stage (aws apigateway get-usage-plan-keys --usage-plan-id <id>)',
  );
}

function causeOf(error: Error): string {
  const { cause } = error;
  return cause instanceof Error ? ` (${cause.message})` : '';
}
