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

export async function postRaw(
  url: string,
  apiKey: string | null,
  body: string,
  contentType = 'application/json',
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
