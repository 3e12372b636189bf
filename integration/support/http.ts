import { ExponentialBackoff, handleWhenResult, retry } from 'cockatiel';
import { isRetryable } from '../../producer/retry-policy';

/** A raw POST through the gateway, for the cases the producer (which validates nothing) cannot send. */
export interface PostResult {
  status: number;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

export interface PostOptions {
  /** Header value; `null` sends no key at all. Default: the target's key. */
  apiKey?: string | null;
  contentType?: string;
}

/**
 * The usage plan's throttle (100 requests/s, burst 10) answers 429 before the function runs, so
 * nothing was processed and the same request can go again. The cases POST back to back, faster
 * than the plan allows on a fast target (the embedded emulator enforces it too), so they wait out
 * a throttle the way any client must, by the producer's own rule (a used-up quota is final);
 * every other status is the answer under test.
 */
const throttleRetry = retry(
  handleWhenResult((result) => {
    const { status, body } = result as PostResult;
    return status === 429 && isRetryable({ kind: 'response', status, headers: {}, body });
  }),
  { maxAttempts: 8, backoff: new ExponentialBackoff({ initialDelay: 20, maxDelay: 1000 }) },
);

export function postRaw(
  url: string,
  apiKey: string | null,
  body: string,
  contentType = 'application/json',
): Promise<PostResult> {
  return throttleRetry.execute(() => postOnce(url, apiKey, body, contentType));
}

async function postOnce(
  url: string,
  apiKey: string | null,
  body: string,
  contentType: string,
): Promise<PostResult> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (apiKey !== null) headers['x-api-key'] = apiKey;
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text so a failing assertion shows what came back.
  }
  return { status: response.status, body: parsed };
}

/** The base of the API (scheme, host and stage) from an events URL, for unknown-route cases. */
export function siblingUrl(eventsUrl: string, path: string): string {
  const url = new URL(eventsUrl);
  url.pathname = url.pathname.replace(/\/events\/?$/, path);
  return url.toString();
}
