/**
 * The console: a page on loopback that shows the running embedded pipeline live. Plain HTML, CSS
 * and ES modules from console/public, uPlot straight from node_modules, server-sent events for
 * updates: nothing to build.
 *
 *   const console = await startConsole({ pipeline, port: 4681 });   // console.url
 *   await console.stop();
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { S3Settings } from '../deployment/target';
import type { ActivityFeed } from '../emulator/activity';
import { maskApiKey } from '../producer/mask';
import { LiveActivity } from './live-activity';
import type { FaultControl, QueryRunner } from './parts';
import { StoredObjects } from './stored-objects';

/** What the console reads from the running pipeline (a StartedPipeline has all of it). */
export interface ConsolePipeline {
  apiUrl: string;
  apiKey: string;
  bucket: string;
  s3: Required<S3Settings>;
  activity: ActivityFeed;
}

export interface ConsoleOptions {
  pipeline: ConsolePipeline;
  /** Default 127.0.0.1: the console has no login, so it stays on loopback. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The SQL engine over push_pipeline.events; without it the SQL panel says so (501). */
  queryRunner?: QueryRunner;
  /** The emulator's fault control; without it the faults panel says so (501). */
  faults?: FaultControl;
  /** Seconds of per-second history kept for the charts. Default 300. */
  historySeconds?: number;
}

export interface StartedConsole {
  url: string;
  port: number;
  /** Closes the live streams and the server; the pipeline keeps running. */
  stop(): Promise<void>;
}

const publicDir = path.join(__dirname, 'public');
const uplotDir = path.dirname(require.resolve('uplot'));
/** Files the page loads, by URL path: its own, and uPlot's ES module and stylesheet. */
const staticFiles: Record<string, string> = {
  '/': path.join(publicDir, 'index.html'),
  '/console.css': path.join(publicDir, 'console.css'),
  '/app.mjs': path.join(publicDir, 'app.mjs'),
  '/charts.mjs': path.join(publicDir, 'charts.mjs'),
  '/panels.mjs': path.join(publicDir, 'panels.mjs'),
  '/vendor/uPlot.esm.js': path.join(uplotDir, 'uPlot.esm.js'),
  '/vendor/uPlot.min.css': path.join(uplotDir, 'uPlot.min.css'),
};
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
};
const TICK_MS = 1000;
/** An SQL text past this is refused before it reaches the engine. */
const MAX_SQL_CHARS = 20_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startConsole(options: ConsoleOptions): Promise<StartedConsole> {
  const { pipeline, queryRunner, faults } = options;
  const host = options.host ?? '127.0.0.1';
  const live = new LiveActivity(pipeline.apiKey, options.historySeconds);
  const stopListening = pipeline.activity.listen(live);
  const objects = new StoredObjects(pipeline.s3, pipeline.bucket);
  const streams = new Set<ServerResponse>();
  let ticker: NodeJS.Timeout | undefined;
  let port = 0;

  // One tick is built per second for all open pages, and only while a page is open.
  function broadcastTick(): void {
    if (streams.size === 0) return;
    const tick = { ...live.tick(), faults: faults ? faults.list() : null };
    const frame = `event: tick\ndata: ${JSON.stringify(tick)}\n\n`;
    for (const stream of streams) stream.write(frame);
  }

  function openStream(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    const snapshot = { ...live.snapshot(), faults: faults ? faults.list() : null };
    response.write(`retry: 2000\nevent: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
    streams.add(response);
    ticker ??= setInterval(broadcastTick, TICK_MS);
    request.on('close', () => {
      streams.delete(response);
      if (streams.size === 0 && ticker !== undefined) {
        clearInterval(ticker);
        ticker = undefined;
      }
    });
  }

  async function api(request: IncomingMessage, url: URL, response: ServerResponse) {
    const method = request.method ?? 'GET';
    const route = `${method} ${url.pathname}`;
    switch (route) {
      case 'GET /api/overview':
        return {
          apiUrl: pipeline.apiUrl,
          apiKey: maskApiKey(pipeline.apiKey),
          s3Endpoint: pipeline.s3.endpoint,
          bucket: pipeline.bucket,
          sql: queryRunner !== undefined,
          faults: faults !== undefined,
        };
      case 'GET /api/stream':
        openStream(request, response);
        return undefined;
      case 'GET /api/stats': {
        const { seconds, latency, totals } = live.snapshot();
        return { seconds, latency, totals };
      }
      case 'GET /api/requests':
        return { requests: live.snapshot().requests };
      case 'GET /api/logs':
        return { lines: live.snapshot().logs };
      case 'GET /api/partitions':
        return { bucket: pipeline.bucket, partitions: await objects.partitions() };
      case 'GET /api/objects': {
        const dt = url.searchParams.get('dt') ?? '';
        const hour = url.searchParams.get('hour') ?? '';
        if (!/^\d{4}-\d{2}-\d{2}$/.test(dt) || !/^\d{2}$/.test(hour)) {
          throw new HttpError(400, 'give dt=YYYY-MM-DD and hour=HH (a partition of the bucket)');
        }
        return objects.list(dt, hour);
      }
      case 'GET /api/objects/recent':
        return { keys: live.recentKeys() };
      case 'GET /api/object': {
        const key = url.searchParams.get('key') ?? '';
        if (key === '') throw new HttpError(400, 'give key=<object key>');
        const found = await objects.get(key);
        if (found === undefined) throw new HttpError(404, `no object ${key} in ${pipeline.bucket}`);
        return found;
      }
      case 'POST /api/sql': {
        if (queryRunner === undefined) {
          throw new HttpError(
            501,
            'SQL is not available: this console was started without a query engine',
          );
        }
        const sql = stringField(await readJson(request), 'sql');
        if (sql.trim() === '') throw new HttpError(400, 'sql is empty: write a query');
        if (sql.length > MAX_SQL_CHARS) {
          throw new HttpError(400, `sql is longer than ${MAX_SQL_CHARS} characters`);
        }
        const started = performance.now();
        try {
          const result = await queryRunner.query(sql);
          return { ...result, elapsedMs: Math.round(performance.now() - started) };
        } catch (error) {
          throw new HttpError(400, error instanceof Error ? error.message : String(error));
        }
      }
    }
    if (url.pathname === '/api/faults' || url.pathname.startsWith('/api/faults/')) {
      return faultRoute(method, url.pathname.slice('/api/faults/'.length), request);
    }
    throw new HttpError(404, `no ${route}: see console/server.ts for the data endpoints`);
  }

  async function faultRoute(method: string, id: string, request: IncomingMessage) {
    if (faults === undefined) {
      throw new HttpError(
        501,
        'fault injection is not available: this console was started without a fault control',
      );
    }
    if (id === '') {
      if (method === 'GET') return { faults: faults.list() };
      if (method === 'DELETE') {
        faults.clear();
        return { faults: faults.list() };
      }
      if (method === 'POST') {
        const spec = stringField(await readJson(request), 'spec');
        try {
          return { fault: faults.add(spec), faults: faults.list() };
        } catch (error) {
          throw new HttpError(400, error instanceof Error ? error.message : String(error));
        }
      }
    } else if (method === 'DELETE') {
      const decoded = decodeURIComponent(id);
      if (!faults.remove(decoded)) throw new HttpError(404, `no fault ${decoded} is on`);
      return { faults: faults.list() };
    }
    throw new HttpError(405, `${method} is not allowed here`);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://console');
    checkOrigin(request, host);
    if (url.pathname.startsWith('/api/')) {
      const body = await api(request, url, response);
      if (body !== undefined) sendJson(response, 200, body);
      return;
    }
    const file = staticFiles[url.pathname];
    if (file === undefined || request.method !== 'GET') {
      throw new HttpError(404, `no page ${url.pathname}: open / for the console`);
    }
    const content = await readFile(file);
    response.writeHead(200, {
      'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': content.length,
      'Cache-Control': 'no-cache',
    });
    response.end(content);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) sendJson(response, status, { message });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        stopListening();
        if (ticker !== undefined) clearInterval(ticker);
        for (const stream of streams) stream.end();
        streams.clear();
        objects.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The console changes state (faults) and runs queries: a page of another site, or a DNS name
 * rebound to 127.0.0.1, must not drive it. Only loopback names (or the address it is bound to) are
 * served, on any port, since a published container port maps it to another; and a request that
 * says where it comes from must come from the console itself.
 */
function checkOrigin(request: IncomingMessage, host: string): void {
  const hostHeader = request.headers.host ?? '';
  const hostname = URL.parse(`http://${hostHeader}`)?.hostname;
  const bound = host.includes(':') ? `[${host}]` : host;
  const allowed = [...new Set(['127.0.0.1', 'localhost', '[::1]', bound])];
  if (hostname === undefined || !allowed.includes(hostname)) {
    throw new HttpError(403, `the console answers as ${allowed.join(', ')} only`);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${hostHeader}`) {
    throw new HttpError(403, `requests from ${origin} are refused: open the console itself`);
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

const MAX_JSON_BYTES = 64 * 1024;

async function readJson(request: IncomingMessage): Promise<unknown> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, 'send a JSON body with Content-Type: application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw new HttpError(413, `the body is over ${MAX_JSON_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
}

function stringField(body: unknown, name: string): string {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'string') throw new HttpError(400, `give "${name}" as a string`);
  return value;
}
