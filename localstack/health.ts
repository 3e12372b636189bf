import { normalizeEndpoint } from './endpoint';

export interface WaitForLocalStackOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Waits until LocalStack's health endpoint answers 200, so a deploy against an emulator that is
 * not up fails with advice instead of a CDK stack trace.
 */
export async function waitForLocalStack(
  endpoint: string,
  options: WaitForLocalStackOptions = {},
): Promise<void> {
  const url = `${normalizeEndpoint(endpoint)}/_localstack/health`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last = 'no answer';
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `LocalStack is not answering at ${url} (${last}). Start it with ` +
          '`docker compose up -d localstack`, or set AWS_ENDPOINT_URL to a running endpoint.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
  }
}
