import type { APIGatewayProxyEvent } from 'aws-lambda';

/** What the gateway received, after routing; everything the proxy event is made from. */
export interface ReceivedRequest {
  method: string;
  /** Node's `rawHeaders`: names in the casing the client sent, then values, alternating. */
  rawHeaders: readonly string[];
  /** The raw query string without `?` ('' when none). */
  query: string;
  body: Buffer;
  sourceIp: string;
  localPort: number;
  receivedAt: Date;
  requestId: string;
  extendedRequestId: string;
  traceId: string;
}

export interface ProxyTarget {
  accountId: string;
  apiId: string;
  stage: string;
  resourceId: string;
  /** The route's resource path, e.g. `/events`. */
  resourcePath: string;
  /** The request path after the stage. */
  path: string;
  /** The request path with the stage, e.g. `/prod/events`. */
  stagePath: string;
  apiKey: string | null;
  apiKeyId: string | null;
}

// API Gateway's front end (CloudFront) drops these and title-cases those before the function sees them.
const droppedHeaders = new Set(['content-length', 'connection']);
const titleCasedHeaders = new Map([
  ['authorization', 'Authorization'],
  ['user-agent', 'User-Agent'],
]);
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The REST API (payload v1) Lambda proxy event, as API Gateway builds it. */
export function buildProxyEvent(
  request: ReceivedRequest,
  target: ProxyTarget,
): APIGatewayProxyEvent {
  const { headers, multiValueHeaders } = collectHeaders(request);
  const { queryStringParameters, multiValueQueryStringParameters } = collectQuery(request.query);
  const { body, isBase64Encoded } = encodeBody(request.body);
  const host =
    Object.entries(headers).find(([name]) => name.toLowerCase() === 'host')?.[1] ??
    `127.0.0.1:${request.localPort}`;
  return {
    resource: target.resourcePath,
    path: target.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      resourceId: target.resourceId,
      resourcePath: target.resourcePath,
      httpMethod: request.method,
      extendedRequestId: request.extendedRequestId,
      requestTime: formatRequestTime(request.receivedAt),
      path: target.stagePath,
      accountId: target.accountId,
      protocol: 'HTTP/1.1',
      stage: target.stage,
      domainPrefix: host.split('.')[0]?.split(':')[0] ?? host,
      requestTimeEpoch: request.receivedAt.getTime(),
      requestId: request.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: request.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: headers['User-Agent'] ?? null,
        user: null,
        apiKey: target.apiKey,
        apiKeyId: target.apiKeyId,
        clientCert: null,
      },
      domainName: host,
      apiId: target.apiId,
      authorizer: undefined,
    },
    body,
    isBase64Encoded,
  };
}

function collectHeaders(request: ReceivedRequest): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const multiValueHeaders: Record<string, string[]> = {};
  const nameByLower = new Map<string, string>();
  const add = (rawName: string, value: string): void => {
    const lower = rawName.toLowerCase();
    if (droppedHeaders.has(lower)) return;
    // Repeated names share the casing first seen, as one header with several values.
    const name = nameByLower.get(lower) ?? titleCasedHeaders.get(lower) ?? rawName;
    nameByLower.set(lower, name);
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  };
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    add(request.rawHeaders[i] ?? '', request.rawHeaders[i + 1] ?? '');
  }
  // Headers API Gateway adds for the integration.
  const forwardedFor = nameByLower.get('x-forwarded-for');
  if (forwardedFor === undefined) add('X-Forwarded-For', request.sourceIp);
  else
    multiValueHeaders[forwardedFor] = [
      `${multiValueHeaders[forwardedFor]?.join(', ')}, ${request.sourceIp}`,
    ];
  if (!nameByLower.has('x-forwarded-port')) add('X-Forwarded-Port', String(request.localPort));
  if (!nameByLower.has('x-forwarded-proto')) add('X-Forwarded-Proto', 'http');
  if (!nameByLower.has('x-amzn-trace-id')) add('X-Amzn-Trace-Id', request.traceId);

  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(multiValueHeaders)) {
    const last = values.at(-1);
    if (last !== undefined) headers[name] = last;
  }
  return { headers, multiValueHeaders };
}

function collectQuery(query: string): {
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
} {
  if (query === '') return { queryStringParameters: null, multiValueQueryStringParameters: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  if (Object.keys(single).length === 0) {
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

/** Without binaryMediaTypes, UTF-8 text passes as is; other bytes go base64 with the flag set. */
function encodeBody(body: Buffer): { body: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  try {
    return { body: utf8.decode(body), isBase64Encoded: false };
  } catch {
    return { body: body.toString('base64'), isBase64Encoded: true };
  }
}

/** `$context.requestTime`'s CLF form: `25/Nov/2026:01:54:00 +0000`. */
export function formatRequestTime(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
