import type { IncomingMessage } from 'node:http';

/** 'aborted': the client went away before sending the whole body; nothing is to be answered. */
export type BodyRead = { kind: 'body'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/**
 * Reads the request body up to `limit` bytes. Past the limit the rest is read and dropped, so the
 * client gets the 413 response rather than a reset connection; past `4 * limit` the socket is cut.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > 4 * limit) request.destroy();
    });
    request.on('end', () =>
      resolve(size > limit ? { kind: 'too-large' } : { kind: 'body', body: Buffer.concat(chunks) }),
    );
    // A client that disconnects mid-body: never hand a truncated body to the function.
    request.on('error', () => resolve({ kind: 'aborted' }));
    request.on('close', () => {
      if (!request.complete) resolve({ kind: 'aborted' });
    });
  });
}
