import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ActivityFeed, watchExchange } from '../activity';
import type { InvokeOutcome } from '../lambda-host/worker-pool';
import { InvocationCancelledError } from '../lambda-host/worker-pool';
import type { EmulatorLogger } from '../log';
import { readBody } from './body';
import { type GatewayError, gatewayErrors } from './gateway-errors';
import { buildProxyEvent } from './proxy-event';
import { type GatewayResponse, parseProxyResult } from './proxy-result';
import { newRequestIds, type RequestIds } from './request-ids';
import { matchRoute, type RouteDefinition } from './routes';
import { type ThrottleSettings, TokenBucket } from './token-bucket';

/** Invokes the integration (the function) with the proxy event as JSON text. */
export type Integration = (event: string, signal: AbortSignal) => Promise<InvokeOutcome>;

/**
 * Faults to inject (see emulator/faults): wait `delayMs`, then answer `status` as the gateway
 * would; 'before' instead of invoking the function, 'after' instead of its answer.
 */
export type GatewayFaultHook = (
  phase: 'before' | 'after',
  call: string,
) => { readonly delayMs: number; readonly status: 429 | 500 | 502 | 504 | undefined };

/**
 * Another API served on the gateway's port, as LocalStack serves every service on its one edge
 * port (the Lambda API, the fault control). It answers the requests it claims before the gateway's
 * routing, API key and throttle see them, so it must claim none of the API's paths.
 */
export interface OtherApi {
  claims(request: IncomingMessage): boolean;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

const injectedErrors = {
  429: gatewayErrors.throttled,
  500: gatewayErrors.internalError,
  502: gatewayErrors.integrationFailure,
  504: gatewayErrors.integrationTimeout,
} as const;

export interface GatewayOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  accountId: string;
  apiId: string;
  stage: string;
  routes: readonly RouteDefinition[];
  apiKeyRequired: boolean;
  apiKeyHeader: string;
  apiKey: { id: string; value: string };
  throttle: ThrottleSettings;
  maxPayloadBytes: number;
  integrationTimeoutMs: number;
  integration: Integration;
  /** Other APIs served on this port, each for the requests it claims. */
  otherApis?: readonly OtherApi[];
  logger: EmulatorLogger;
  faults?: GatewayFaultHook;
  /** Live watchers (the console): each answered request, while anyone listens. */
  activity?: ActivityFeed;
}

export interface StartedGateway {
  /** `http://<host>:<port>`; the stage and route follow, e.g. `/prod/events`. */
  baseUrl: string;
  port: number;
  /** Stops taking connections, lets requests in flight finish, closes idle keep-alive sockets. */
  stop(): Promise<void>;
}

const timedOut = Symbol('timed out');

/** Compares a presented key with the real one in constant time (digests make lengths equal). */
function apiKeyMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * An API Gateway REST API stage with Lambda proxy integration: routes, API key, usage-plan
 * throttle, payload limit, integration timeout, and the gateway's own error responses.
 */
export async function startGateway(options: GatewayOptions): Promise<StartedGateway> {
  const throttle = new TokenBucket(options.throttle);
  const inFlight = new Set<ServerResponse>();
  let stopping = false;

  const server = createServer({ keepAlive: true }, (request, response) => {
    inFlight.add(response);
    response.on('close', () => inFlight.delete(response));
    if (stopping) response.setHeader('Connection', 'close');
    const serve = options.otherApis?.find((api) => api.claims(request))?.handle ?? handle;
    serve(request, response).catch((error: unknown) => {
      options.logger.error(
        `gateway failure: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!response.headersSent) {
        response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ message: 'Internal server error' }));
      } else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = new Date();
    const ids = newRequestIds(receivedAt);
    const method = request.method ?? 'GET';
    const watched = options.activity?.observed
      ? watchExchange(options.activity, response, {
          time: receivedAt.getTime(),
          requestId: ids.requestId,
          method,
          path: (request.url ?? '/').split('?', 1)[0] ?? '/',
        })
      : undefined;
    options.logger.debug(`-> ${method} ${request.url ?? '/'} ${ids.requestId}`);
    response.on('finish', () =>
      options.logger.debug(
        `<- ${response.statusCode} ${method} ${request.url ?? '/'} ${ids.requestId} ${Date.now() - receivedAt.getTime()} ms`,
      ),
    );
    const declaredLength = Number(request.headers['content-length'] ?? 0);
    if (declaredLength > options.maxPayloadBytes) {
      if ((await readBody(request, options.maxPayloadBytes)).kind === 'aborted') return;
      return sendError(response, ids, gatewayErrors.requestTooLarge);
    }
    const url = URL.parse(request.url ?? '/', 'http://gateway');
    // A request target that is not a URL (e.g. `http://[x/prod/events`) matches no resource.
    if (url === null) return sendError(response, ids, gatewayErrors.missingAuthenticationToken);
    const match = matchRoute(url.pathname, method, options);
    if (match.kind === 'unknown-stage') return sendError(response, ids, gatewayErrors.forbidden);
    if (match.kind === 'no-route') {
      return sendError(response, ids, gatewayErrors.missingAuthenticationToken);
    }
    const presentedKey = request.headers[options.apiKeyHeader.toLowerCase()];
    if (options.apiKeyRequired && !apiKeyMatches(presentedKey, options.apiKey.value)) {
      return sendError(response, ids, gatewayErrors.forbidden);
    }
    if (!throttle.tryTake()) return sendError(response, ids, gatewayErrors.throttled);
    const call = `${method} ${url.pathname} ${ids.requestId}`;
    const before = options.faults?.('before', call);
    if (before !== undefined && before.delayMs > 0) await sleep(before.delayMs);
    if (before?.status !== undefined) {
      if ((await readBody(request, options.maxPayloadBytes)).kind === 'aborted') return;
      return sendError(response, ids, injectedErrors[before.status]);
    }
    const read = await readBody(request, options.maxPayloadBytes);
    if (read.kind === 'aborted') return; // the client is gone: nothing to invoke or answer
    if (read.kind === 'too-large') return sendError(response, ids, gatewayErrors.requestTooLarge);

    const event = buildProxyEvent(
      {
        method,
        rawHeaders: request.rawHeaders,
        query: url.search.replace(/^\?/, ''),
        body: read.body,
        sourceIp: normaliseIp(request.socket.remoteAddress),
        localPort: request.socket.localPort ?? 0,
        receivedAt,
        ...ids,
      },
      {
        accountId: options.accountId,
        apiId: options.apiId,
        stage: options.stage,
        resourceId: match.resourceId,
        resourcePath: match.route.path,
        path: match.path,
        stagePath: match.stagePath,
        apiKey: options.apiKeyRequired ? options.apiKey.value : null,
        apiKeyId: options.apiKeyRequired ? options.apiKey.id : null,
      },
    );

    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof timedOut>((resolve) => {
      timer = setTimeout(() => {
        resolve(timedOut);
        // Withdraws the invocation if it still waits for a function instance.
        controller.abort();
      }, options.integrationTimeoutMs);
    });
    const invocation = options
      .integration(JSON.stringify(event), controller.signal)
      .catch((error: unknown): typeof timedOut => {
        if (error instanceof InvocationCancelledError) return timedOut;
        throw error;
      });
    const outcome = await Promise.race([invocation, timeout]).finally(() => clearTimeout(timer));

    if (outcome === timedOut) {
      options.logger.warn(
        `${method} ${url.pathname} ${ids.requestId}: no function response within ${options.integrationTimeoutMs} ms (504)`,
      );
      return sendError(response, ids, gatewayErrors.integrationTimeout);
    }
    if (outcome.kind === 'error') {
      options.logger.warn(
        `${method} ${url.pathname} ${ids.requestId}: function error ${outcome.error.errorType}: ${outcome.error.errorMessage} (502)`,
      );
      return sendError(response, ids, gatewayErrors.integrationFailure);
    }
    const after = options.faults?.('after', call);
    if (after?.status !== undefined) return sendError(response, ids, injectedErrors[after.status]);
    const parsed = parseProxyResult(outcome.payload);
    if (!parsed.ok) {
      options.logger.warn(
        `${method} ${url.pathname} ${ids.requestId}: malformed Lambda proxy response: ${parsed.reason} (502)`,
      );
      return sendError(response, ids, gatewayErrors.integrationFailure);
    }
    if (watched !== undefined) watched.functionBody = parsed.response.body;
    sendResult(response, ids, parsed.response);
  }

  function sendResult(response: ServerResponse, ids: RequestIds, result: GatewayResponse): void {
    try {
      for (const { name, values } of result.headers.values()) {
        response.setHeader(name, values.length === 1 ? (values[0] ?? '') : values);
      }
    } catch (error) {
      // Node refuses header names or values with characters HTTP forbids.
      options.logger.warn(`malformed Lambda proxy response header: ${String(error)} (502)`);
      for (const name of response.getHeaderNames()) response.removeHeader(name);
      sendError(response, ids, gatewayErrors.integrationFailure);
      return;
    }
    setGatewayHeaders(response, ids);
    // API Gateway answers with a length, never chunked, whatever the function set.
    response.setHeader('Content-Length', result.body.length);
    response.writeHead(result.statusCode);
    response.end(result.body);
  }

  function sendError(response: ServerResponse, ids: RequestIds, error: GatewayError): void {
    setGatewayHeaders(response, ids);
    response.setHeader('Content-Type', 'application/json');
    if (error.errorType !== undefined) response.setHeader('x-amzn-ErrorType', error.errorType);
    if (error === gatewayErrors.requestTooLarge) response.setHeader('Connection', 'close');
    const body = JSON.stringify({ message: error.message });
    response.setHeader('Content-Length', Buffer.byteLength(body));
    response.writeHead(error.status);
    response.end(body);
  }

  function setGatewayHeaders(response: ServerResponse, ids: RequestIds): void {
    response.setHeader('x-amzn-RequestId', ids.requestId);
    response.setHeader('x-amz-apigw-id', ids.extendedRequestId);
    response.setHeader('X-Amzn-Trace-Id', ids.traceId);
    if (stopping) response.setHeader('Connection', 'close');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://${options.host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        // In-flight requests finish; past the integration timeout nothing legitimate is left.
        const hardStop = setTimeout(
          () => server.closeAllConnections(),
          options.integrationTimeoutMs + 1000,
        );
        server.close(() => {
          clearTimeout(hardStop);
          resolve();
        });
        server.closeIdleConnections();
        if (inFlight.size === 0) server.closeAllConnections();
      }),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function normaliseIp(address: string | undefined): string {
  if (address === undefined) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
