/** A function result mapped to the HTTP response API Gateway sends. */
export interface GatewayResponse {
  statusCode: number;
  /** Header name (as the function spelled it) to its values. */
  headers: Map<string, { name: string; values: string[] }>;
  body: Buffer;
}

export type ProxyResultOutcome =
  | { ok: true; response: GatewayResponse }
  | { ok: false; reason: string };

const allowedKeys = new Set([
  'statusCode',
  'headers',
  'multiValueHeaders',
  'body',
  'isBase64Encoded',
]);
// Node computes these for the connection; a function's values would corrupt the framing.
const hopByHopHeaders = new Set([
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/**
 * Validates a Lambda proxy result as API Gateway does: every field is optional (statusCode
 * defaults to 200) but no other field is allowed, header values are strings (or booleans), the
 * body a string. Anything else is a "Malformed Lambda proxy response" (502).
 * `payload` is the JSON text the Lambda runtime serialised the handler's return value to.
 */
export function parseProxyResult(payload: string): ProxyResultOutcome {
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'the function result is not JSON' };
  }
  if (!isRecord(result)) return { ok: false, reason: 'the function result is not an object' };
  const extra = Object.keys(result).filter((key) => !allowedKeys.has(key));
  if (extra.length > 0) return { ok: false, reason: `unexpected field(s): ${extra.join(', ')}` };

  let statusCode = 200;
  if (result.statusCode !== undefined && result.statusCode !== null) {
    const raw = result.statusCode;
    const parsed = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 100 || parsed > 599) {
      return { ok: false, reason: `statusCode ${JSON.stringify(raw)} is not an HTTP status` };
    }
    statusCode = parsed;
  }

  const headers = new Map<string, { name: string; values: string[] }>();
  if (result.headers !== undefined && result.headers !== null) {
    if (!isRecord(result.headers)) return { ok: false, reason: 'headers is not an object' };
    for (const [name, raw] of Object.entries(result.headers)) {
      const value = headerValue(raw);
      if (value === undefined) return { ok: false, reason: `header ${name} is not a string` };
      headers.set(name.toLowerCase(), { name, values: [value] });
    }
  }
  if (result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    if (!isRecord(result.multiValueHeaders)) {
      return { ok: false, reason: 'multiValueHeaders is not an object' };
    }
    for (const [name, raw] of Object.entries(result.multiValueHeaders)) {
      const values = Array.isArray(raw) ? raw.map(headerValue) : [undefined];
      const strings = values.filter((v): v is string => v !== undefined);
      if (strings.length !== values.length) {
        return { ok: false, reason: `multiValueHeaders.${name} is not a list of strings` };
      }
      headers.set(name.toLowerCase(), { name, values: strings });
    }
  }
  for (const name of hopByHopHeaders) headers.delete(name);
  if (!headers.has('content-type')) {
    headers.set('content-type', { name: 'Content-Type', values: ['application/json'] });
  }

  if (result.isBase64Encoded !== undefined && typeof result.isBase64Encoded !== 'boolean') {
    return { ok: false, reason: 'isBase64Encoded is not a boolean' };
  }
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') {
    return { ok: false, reason: 'body is not a string' };
  }
  const text = typeof result.body === 'string' ? result.body : '';
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text);
  return { ok: true, response: { statusCode, headers, body } };
}
