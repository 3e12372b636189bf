import type { IncomingMessage } from 'node:http';

export type BodyRead = { kind: 'body'; body: Buffer } | { kind: 'too-large' };

/**
 * Reads the request body up to `limit` bytes. Past the limit the rest is read and dropped, so the
 * client gets the 413 response rather than a reset connection; past `4 * limit` the socket is cut.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
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
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete)
        resolve(
          size > limit ? { kind: 'too-large' } : { kind: 'body', body: Buffer.concat(chunks) },
        );
    });
  });
}
