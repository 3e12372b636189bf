import { describeAnswer, probeWithEmptyBatch } from '../../deployment/empty-batch-probe';

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
 * as final, so a deploy reports ready only once a probe gets past the key check. The probe is an
 * empty batch (stores nothing); any status but 403 means the gateway accepted the key, and network
 * errors are retried like a 403, within the same time limit.
 */
export async function waitUntilKeyAccepted(
  apiUrl: string,
  apiKey: string,
  options: KeyReadinessOptions = {},
): Promise<KeyReadiness> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const outcome = await probeWithEmptyBatch({ apiUrl, apiKey }, (status) => status !== 403, {
    timeoutMs,
    intervalMs: options.intervalMs ?? 2_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    onMiss: (answer, probes) => {
      if (probes !== 1) return;
      options.onWaiting?.(
        `The API does not accept the new key yet (${describeAnswer(answer)}); waiting up to ${Math.round(timeoutMs / 1000)} s for it to propagate...`,
      );
    },
  });
  const { probes, last } = outcome;
  if (outcome.done && 'status' in last) return { status: last.status, probes };
  throw new Error(
    `the API at ${apiUrl} still refuses the new key after ${Math.round(timeoutMs / 1000)} s (${probes} probes; last: ${describeAnswer(last)}). ` +
      'New keys usually work within a minute: try `npm run producer -- --n-events 1` shortly. If it stays 403, ' +
      'check that the usage plan lists the key and the stage (aws apigateway get-usage-plan-keys --usage-plan-id <id>)',
  );
}
