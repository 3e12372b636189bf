/**
 * The emulator's fault control plane over HTTP, served on the gateway's port beside the API:
 *   GET    /_emulator/faults        200 {"faults": ActiveFault[]}
 *   POST   /_emulator/faults        {"spec": "s3.put:503@0.2"} -> 201 ActiveFault, 400 {message}
 *   DELETE /_emulator/faults/<id>   204, or 404 {message}
 *   DELETE /_emulator/faults        204: clears all
 * Not behind the API key: it belongs to the emulator (on loopback by default), not to the API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import type { OtherApi } from '../gateway/server';
import type { FaultControl } from './fault-control';
import { FaultSpecError } from './spec';

export const FAULTS_PATH = '/_emulator/faults';
const MAX_BODY_BYTES = 16 * 1024;

const addRequestSchema = z.object({ spec: z.string({ error: 'spec must be a string' }) });

function send(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status);
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Error('the body is not JSON: send {"spec": "<fault spec>"}');
  }
}

/** The control plane on the gateway's port: it claims FAULTS_PATH and the paths under it. */
export function faultControlApi(faults: FaultControl): OtherApi {
  const pathnameOf = (request: IncomingMessage): string | undefined =>
    URL.parse(request.url ?? '/', 'http://gateway')?.pathname;
  return {
    claims: (request) => {
      const pathname = pathnameOf(request);
      return pathname === FAULTS_PATH || pathname?.startsWith(`${FAULTS_PATH}/`) === true;
    },
    handle: async (request, response) => {
      await handleFaultControl(faults, request, response, pathnameOf(request) ?? FAULTS_PATH);
    },
  };
}

/** Serves the request when its path is the control plane's; false leaves it to the API. */
async function handleFaultControl(
  faults: FaultControl,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
): Promise<boolean> {
  if (pathname !== FAULTS_PATH && !pathname.startsWith(`${FAULTS_PATH}/`)) return false;
  const method = request.method ?? 'GET';
  const id =
    pathname.length > FAULTS_PATH.length
      ? decodeURIComponent(pathname.slice(FAULTS_PATH.length + 1))
      : undefined;
  if (id === undefined && method === 'GET') {
    send(response, 200, { faults: faults.list() });
  } else if (id === undefined && method === 'POST') {
    let body: unknown;
    try {
      body = await readJson(request);
    } catch (error) {
      send(response, 400, { message: error instanceof Error ? error.message : String(error) });
      return true;
    }
    const parsed = addRequestSchema.safeParse(body);
    if (!parsed.success) {
      send(response, 400, {
        message: `send {"spec": "<fault spec>"}: ${parsed.error.issues[0]?.message}`,
      });
      return true;
    }
    try {
      send(response, 201, faults.add(parsed.data.spec));
    } catch (error) {
      if (!(error instanceof FaultSpecError)) throw error;
      send(response, 400, { message: error.message });
    }
  } else if (id === undefined && method === 'DELETE') {
    faults.clear();
    send(response, 204);
  } else if (id !== undefined && id !== '' && method === 'DELETE') {
    if (faults.remove(id)) send(response, 204);
    else send(response, 404, { message: `no fault with id ${id}: GET ${FAULTS_PATH} lists them` });
  } else {
    response.setHeader('Allow', id === undefined ? 'GET, POST, DELETE' : 'DELETE');
    send(response, 405, { message: `${method} is not served on ${pathname}` });
  }
  return true;
}
