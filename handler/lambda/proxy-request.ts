import { TextDecoder } from 'node:util';
import { MAX_BODY_BYTES } from '../../model';
import { contentTypeProblem } from './content-type';

export type ProxyRequest =
  | { ok: true; bodyText: string }
  | { ok: false; statusCode: 400 | 413 | 415; message: string };

const PROXY_HINT = 'the function expects an API Gateway REST proxy event (POST /events)';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Header names are case-insensitive (RFC 9110); API Gateway passes them as the client sent them. */
function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
}

function tooLarge(bytes: number): ProxyRequest {
  return {
    ok: false,
    statusCode: 413,
    message: `The body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES} bytes (1 MiB). Send fewer readings per request`,
  };
}

/**
 * Checks what the handler needs from a proxy event (an object, headers, a JSON content type, a
 * body within the size limit) and returns the body as text. Never throws: whatever the event,
 * the result is either the body or a status with a message.
 */
export function readProxyRequest(event: unknown): ProxyRequest {
  if (!isRecord(event)) {
    return { ok: false, statusCode: 400, message: `Malformed request event: ${PROXY_HINT}` };
  }
  const { headers, body, isBase64Encoded } = event;
  if (!isRecord(headers)) {
    return {
      ok: false,
      statusCode: 400,
      message: `Malformed request event: no headers; ${PROXY_HINT} with a Content-Type header`,
    };
  }
  const typeProblem = contentTypeProblem(headerValue(headers, 'content-type'));
  if (typeProblem !== undefined) return { ok: false, statusCode: 415, message: typeProblem };
  if (body === null || body === undefined || body === '') {
    return {
      ok: false,
      statusCode: 400,
      message: 'The request has no body; send one reading or a JSON array of readings',
    };
  }
  if (typeof body !== 'string') {
    return {
      ok: false,
      statusCode: 400,
      message: `Malformed request event: body is not a string; ${PROXY_HINT}`,
    };
  }
  if (isBase64Encoded !== true) {
    const bytes = Buffer.byteLength(body, 'utf8');
    return bytes > MAX_BODY_BYTES ? tooLarge(bytes) : { ok: true, bodyText: body };
  }
  // The limit is on the bytes the client sent, so a base64 body is measured after decoding.
  const decoded = Buffer.from(body, 'base64');
  if (decoded.length > MAX_BODY_BYTES) return tooLarge(decoded.length);
  try {
    return { ok: true, bodyText: new TextDecoder('utf-8', { fatal: true }).decode(decoded) };
  } catch {
    return {
      ok: false,
      statusCode: 400,
      message: 'The body is not valid UTF-8; JSON must be UTF-8',
    };
  }
}
