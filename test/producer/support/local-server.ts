import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Reading } from '../../../model';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer after this many ms (a slow server). */
  delayMs?: number;
  /** Never answer (the client must time out or give up). */
  hang?: boolean;
}

export interface LocalServer {
  /** Base URL, e.g. http://127.0.0.1:12345 */
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1, port 0: the producer talks to it exactly as to the gateway. */
export async function startLocalServer(
  reply: (req: ReceivedRequest, index: number) => Reply,
): Promise<LocalServer> {
  const received: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(request);
      const r = reply(request, received.length - 1);
      if (r.hang) return;
      const send = () => {
        res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
        res.end(r.body === undefined ? '' : JSON.stringify(r.body));
      };
      if (!r.delayMs) return send();
      const t = setTimeout(() => {
        timers.delete(t);
        send();
      }, r.delayMs);
      timers.add(t);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Readings of a request body: one object or an array. */
export function readingsOf(body: unknown): Reading[] {
  return (Array.isArray(body) ? body : [body]) as Reading[];
}

/**
 * A small stand-in for the pipeline's answers (docs/CONTRACT.md): stores readings by id, answers 200
 * with accepted/duplicates/keys, or 409 listing conflicts ({index, id, key}) while storing the rest.
 * The real handler is tested in its own area; here only the producer's accounting is under test.
 */
export function contractReplies(stored = new Map<string, string>()) {
  return (req: ReceivedRequest): Reply => {
    const readings = readingsOf(req.body);
    let accepted = 0;
    let duplicates = 0;
    const keys: string[] = [];
    const conflicts: { index: number; id: string; key: string }[] = [];
    readings.forEach((r, index) => {
      const key = `events/${r.id}.json`;
      const previous = stored.get(r.id);
      const text = JSON.stringify(r);
      if (previous === undefined) {
        stored.set(r.id, text);
        accepted += 1;
        keys.push(key);
      } else if (previous === text) {
        duplicates += 1;
        keys.push(key);
      } else conflicts.push({ index, id: r.id, key });
    });
    if (conflicts.length > 0) {
      return {
        status: 409,
        body: {
          message: 'Conflict: different reading stored under id',
          accepted,
          duplicates,
          keys,
          conflicts,
        },
      };
    }
    return { status: 200, body: { accepted, duplicates, keys, requestId: 'test' } };
  };
}
