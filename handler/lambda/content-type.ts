import { MIMEType } from 'node:util';

/** JSON (RFC 8259) is UTF-8; other charsets are refused rather than misread. */
const UTF8 = new Set(['utf-8', 'utf8']);

/**
 * Accepts `application/json` and `application/<anything>+json` (RFC 6839), with no charset or a
 * UTF-8 one. Returns the reason when refused.
 */
export function contentTypeProblem(value: string | undefined): string | undefined {
  const expected = 'send Content-Type: application/json';
  if (value === undefined || value.trim() === '')
    return `The Content-Type header is missing; ${expected}`;
  let mime: MIMEType;
  try {
    mime = new MIMEType(value);
  } catch {
    return `The Content-Type header is not a media type; ${expected}`;
  }
  const isJson =
    mime.type === 'application' && (mime.subtype === 'json' || mime.subtype.endsWith('+json'));
  if (!isJson) return `Content-Type ${mime.essence} is not JSON; ${expected}`;
  const charset = mime.params.get('charset');
  if (charset !== null && !UTF8.has(charset.toLowerCase())) {
    return `charset ${charset} is not supported: JSON bodies are UTF-8; ${expected}; charset=utf-8`;
  }
  return undefined;
}
