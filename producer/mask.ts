/** Shows enough of an API key to tell keys apart, never the whole key. */
export function maskApiKey(key: string): string {
  return key.length >= 16 ? `${key.slice(0, 4)}…${key.slice(-4)}` : '****';
}

/**
 * Replaces every occurrence of the key in text (e.g. a server message that echoes it). A key
 * shorter than 8 characters is left alone in free text: it would match inside ordinary words
 * ("k" in "network"), and API Gateway's own keys are at least 20 characters.
 */
export function redactApiKey(text: string, key: string): string {
  return key.length >= 8 ? text.split(key).join(maskApiKey(key)) : text;
}
