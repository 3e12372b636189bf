/**
 * Lambda's own API for the emulator's one function, so `@aws-sdk/client-lambda` and
 * `aws lambda invoke --endpoint-url` work as against LocalStack or AWS: Invoke (RequestResponse
 * with `LogType: Tail`, Event, DryRun), GetFunction, GetFunctionConfiguration and ListFunctions.
 * Invocations go through the same function host as the gateway's. Requests are not
 * authenticated (any SigV4 signature is accepted), as on LocalStack.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipelineDefinition } from '../../deployment/definition';
import type { OtherApi } from '../gateway/server';
import { functionArn, logGroupName } from '../lambda-host/function-environment';
import type { EmulatorLogger } from '../log';
import { LambdaServiceError, lambdaErrors, sendJson, sendServiceError } from './errors';
import { type HostedFunction, invoke } from './invoke';

/** Served on the gateway's port; it claims the requests whose path begins with a version (`/2015-03-31/`). */
export interface LambdaApi extends OtherApi {
  /** Waits for Event invocations still running (call after the server stopped taking requests). */
  drain(): Promise<void>;
}

const API_VERSION = '/2015-03-31/functions';

/**
 * The Lambda API's paths begin with an API version date (`/2015-03-31/...`), which no stage of
 * the pipeline's API is named, so they can share the gateway's port as LocalStack's services
 * share its one edge port.
 */
export function createLambdaApi(fn: HostedFunction, logger: EmulatorLogger): LambdaApi {
  const background = new Set<Promise<void>>();
  const arn = functionArn(fn.config);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const url = new URL(request.url ?? '/', 'http://lambda');
      const method = request.method ?? 'GET';
      const route = matchRoute(url.pathname, method);
      if (route === undefined) throw lambdaErrors.unknownOperation(method, url.pathname);
      if (route.operation === 'ListFunctions') {
        sendJson(response, 200, { Functions: [await configuration()] }, requestId);
        return;
      }
      resolveFunction(route.name, url.searchParams.get('Qualifier'));
      switch (route.operation) {
        case 'GetFunctionConfiguration':
          sendJson(response, 200, await configuration(), requestId);
          return;
        case 'GetFunction':
          sendJson(
            response,
            200,
            {
              Configuration: await configuration(),
              // There is no package to download: the bundle is built from the sources.
              Code: { RepositoryType: 'S3', Location: '' },
              Tags: {},
            },
            requestId,
          );
          return;
        case 'Invoke': {
          const { background: event } = await invoke({ request, response, fn, logger });
          if (event !== undefined) {
            background.add(event);
            void event.finally(() => background.delete(event));
          }
          return;
        }
      }
    } catch (error) {
      if (!(error instanceof LambdaServiceError)) throw error;
      if (!response.headersSent) sendServiceError(response, error, requestId);
    }
  }

  /** Name, ARN or partial ARN, with an optional qualifier: only `$LATEST` exists here. */
  function resolveFunction(raw: string, queryQualifier: string | null): void {
    const { functionName, region, accountId } = fn.config;
    const full = /^arn:aws[a-z-]*:lambda:([^:]+):(\d{12}):function:([^:]+)(?::(.+))?$/.exec(raw);
    const partial = /^(\d{12}):function:([^:]+)(?::(.+))?$/.exec(raw);
    const bare = /^([^:]+)(?::(.+))?$/.exec(raw);
    const [name, qualifier, matches] = full
      ? [full[3], full[4], full[1] === region && full[2] === accountId]
      : partial
        ? [partial[2], partial[3], partial[1] === accountId]
        : [bare?.[1], bare?.[2], bare !== null];
    const wanted = qualifier ?? queryQualifier ?? undefined;
    if (!matches || name !== functionName || (wanted !== undefined && wanted !== '$LATEST')) {
      const notFound = `arn:aws:lambda:${region}:${accountId}:function:${name ?? raw}`;
      throw lambdaErrors.functionNotFound(
        wanted === undefined ? notFound : `${notFound}:${wanted}`,
      );
    }
  }

  async function configuration() {
    const { config } = fn;
    const code = await fn.code();
    const fnDefinition = pipelineDefinition.function;
    return {
      FunctionName: config.functionName,
      FunctionArn: arn,
      Runtime: fnDefinition.runtime,
      Handler: fn.handler,
      CodeSize: code.size,
      Timeout: Math.ceil(config.timeoutMs / 1000),
      MemorySize: config.memoryMB,
      LastModified: code.lastModified.toISOString().replace('Z', '+0000'),
      CodeSha256: code.sha256,
      Version: '$LATEST',
      Environment: { Variables: { ...fn.variables } },
      TracingConfig: { Mode: 'PassThrough' },
      // Bundled and loaded at start: ready for invocations as soon as the API answers.
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: [fnDefinition.architecture],
      EphemeralStorage: { Size: 512 },
      LoggingConfig: { LogFormat: 'Text', LogGroup: logGroupName(config) },
    };
  }

  return {
    claims: (request) => /^\/\d{4}-\d{2}-\d{2}\//.test(request.url ?? ''),
    handle: (request, response) =>
      handle(request, response).catch((error: unknown) => {
        logger.error(`Lambda API failure: ${error instanceof Error ? error.stack : String(error)}`);
        const failure = lambdaErrors.serviceUnavailable(
          'The emulator failed to serve this Lambda API request; see its log',
        );
        if (!response.headersSent) sendServiceError(response, failure, randomUUID());
        else response.destroy();
      }),
    drain: async () => {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}

type Route =
  | { operation: 'ListFunctions' }
  | { operation: 'GetFunction' | 'GetFunctionConfiguration' | 'Invoke'; name: string };

function matchRoute(pathname: string, method: string): Route | undefined {
  if (!pathname.startsWith(API_VERSION)) return undefined;
  const rest = pathname.slice(API_VERSION.length);
  if ((rest === '' || rest === '/') && method === 'GET') return { operation: 'ListFunctions' };
  const parts = rest.split('/').slice(1);
  let name: string;
  try {
    name = decodeURIComponent(parts[0] ?? '');
  } catch {
    return undefined;
  }
  if (name === '') return undefined;
  const action = parts.slice(1).join('/');
  if (action === '' && method === 'GET') return { operation: 'GetFunction', name };
  if (action === 'configuration' && method === 'GET') {
    return { operation: 'GetFunctionConfiguration', name };
  }
  if (action === 'invocations' && method === 'POST') return { operation: 'Invoke', name };
  return undefined;
}
