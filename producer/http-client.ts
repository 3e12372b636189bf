import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, Pool } from 'undici';
import { pipelineDefinition } from '../deployment/definition';
import { errorCode } from '../model/error-code';

/** What came back from one POST, or why nothing did. */
export type HttpResult =
  | { kind: 'response'; status: number; headers: Record<string, string | undefined>; body: unknown }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string; message: string }
  | { kind: 'aborted' };

export interface HttpClient {
  /** Never rejects: every failure is an HttpResult. */
  post(body: string): Promise<HttpResult>;
  /** Waits for queued requests, then closes the keep-alive connections. */
  close(): Promise<void>;
  /** Drops every connection at once (requests in flight fail). */
  destroy(): Promise<void>;
}

const ABORTED: HttpResult = { kind: 'aborted' };
const TIMEOUT: HttpResult = { kind: 'timeout' };

/** The reason a request is aborted with when its time is up (never surfaces: the result says timeout). */
class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k in headers) {
    const v = headers[k];
    // undici hands names over lower-cased already; lower-casing again keeps that a non-assumption.
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // gateways and proxies sometimes answer in HTML or plain text
  }
}

/**
 * One POST, as an undici dispatch handler: the body is gathered in a few Buffers and the request
 * is cut through undici's own controller when its time is up. `request()` would add a Readable
 * stream for the body and an AbortController (with its listeners) per request; the profile showed
 * those as the producer's largest costs beyond the socket, and their short-lived objects surviving
 * young-generation GCs is what grew the heap (bench/RESULTS.md, "Second round: producer").
 */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];
  private timedOut = false;
  private settled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly settle: (result: HttpResult) => void,
    private readonly cut: AbortSignal,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.timeOut(), timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Timed out while queued for a connection: it is already reported, so it never goes out.
    if (this.timedOut) controller.abort(new RequestTimeoutError('request timed out'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const { chunks } = this;
    const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString();
    this.finish({
      kind: 'response',
      status: this.status,
      headers: flattenHeaders(this.headers),
      body: parseBody(text),
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    this.finish(
      this.cut.aborted
        ? ABORTED
        : this.timedOut
          ? TIMEOUT
          : { kind: 'network', code: errorCode(err) ?? 'ERROR', message: err.message },
    );
  }

  /** Reported at once, even when the request has not reached a connection yet. */
  private timeOut(): void {
    this.timedOut = true;
    this.finish(TIMEOUT);
    this.controller?.abort(new RequestTimeoutError('request timed out'));
  }

  private finish(result: HttpResult): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.settle(result);
  }
}

/**
 * One keep-alive pool per run, sized to the workers, so each worker reuses its connection instead
 * of paying a TCP (and TLS) handshake per request. `cut` drops every connection when it aborts
 * (the drain time after Ctrl+C is up): requests on the wire then end as `aborted`. One listener
 * for the run rather than one per request: a listener removed from a long-lived AbortSignal keeps
 * its neighbours reachable until the next full GC, which the GC trace showed as ~1.5 MB promoted
 * per young-generation GC.
 */
export function createHttpClient(opts: {
  url: URL;
  apiKey: string;
  connections: number;
  timeoutMs: number;
  cut: AbortSignal;
}): HttpClient {
  const pool = new Pool(opts.url.origin, { connections: opts.connections });
  const path = `${opts.url.pathname}${opts.url.search}`;
  const headers = {
    'content-type': 'application/json',
    [pipelineDefinition.api.apiKeyHeader]: opts.apiKey,
  };
  const { cut, timeoutMs } = opts;
  const onCut = (): void => {
    pool.destroy().catch(() => {}); // requests in flight fail, and are reported as aborted
  };
  cut.addEventListener('abort', onCut, { once: true });
  const done = () => cut.removeEventListener('abort', onCut);
  return {
    post(body) {
      if (cut.aborted) return Promise.resolve(ABORTED);
      return new Promise<HttpResult>((resolve) => {
        pool.dispatch(
          { method: 'POST', path, headers, body },
          new Exchange(resolve, cut, timeoutMs),
        );
      });
    },
    close: async () => {
      try {
        if (!pool.destroyed) await pool.close(); // already cut: nothing left to wait for
      } finally {
        done();
      }
    },
    destroy: async () => {
      done();
      await pool.destroy();
    },
  };
}
