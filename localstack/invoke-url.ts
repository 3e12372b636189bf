import { normalizeEndpoint } from './endpoint';

export type InvokeUrlStyle = 'path' | 'host';

export interface InvokeUrlOptions {
  /** LocalStack's edge endpoint, e.g. http://localhost:4566 or http://localstack:4566. */
  readonly endpoint: string;
  readonly apiId: string;
  readonly stage: string;
  /** The route, e.g. /events. */
  readonly path: string;
  /**
   * 'path' (default): <endpoint>/_aws/execute-api/<apiId>/<stage><path>, reachable wherever the
   * endpoint is, from other containers too. 'host': <apiId>.execute-api.localhost.localstack.cloud,
   * whose name resolves to 127.0.0.1, so only from the machine running LocalStack.
   */
  readonly style?: InvokeUrlStyle;
}

/**
 * The URL that invokes a route of a REST API deployed in LocalStack. The stack's ApiUrl output
 * (an amazonaws.com name) is not reachable there, so the URL is built from the API id.
 */
export function localStackInvokeUrl(options: InvokeUrlOptions): string {
  const origin = normalizeEndpoint(options.endpoint);
  if (!/^[A-Za-z0-9]+$/.test(options.apiId)) throw new Error(`not an API id: ${options.apiId}`);
  if (!/^[A-Za-z0-9_-]+$/.test(options.stage))
    throw new Error(`not a stage name: ${options.stage}`);
  const route = options.path.startsWith('/') ? options.path : `/${options.path}`;
  if ((options.style ?? 'path') === 'path') {
    return `${origin}/_aws/execute-api/${options.apiId}/${options.stage}${route}`;
  }
  const url = new URL(origin);
  url.hostname = `${options.apiId.toLowerCase()}.execute-api.localhost.localstack.cloud`;
  return `${url.origin}/${options.stage}${route}`;
}
