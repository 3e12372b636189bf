/**
 * The `code` of a Node error (ENOENT, EADDRINUSE, ECONNRESET, ERR_WORKER_OUT_OF_MEMORY...), or of
 * the error it wraps (`cause`: fetch and undici wrap the socket's error); undefined when none has
 * one. Duck-typed: `instanceof Error` is false for Node's own errors inside a jest sandbox.
 *
 * Not part of the event contract: it lives here, the bottom layer, because the producer (which may
 * import model/ only) and the emulator both need it. model/index.ts does not export it.
 */
export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; depth < 8; depth++) {
    if (typeof current !== 'object' || current === null) return undefined;
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}
