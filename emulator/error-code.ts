/** The `code` of a Node system error (ENOENT, EADDRINUSE...). Not `instanceof Error`: jest runs tests in another realm. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
