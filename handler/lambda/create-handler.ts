import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { pipelineDefinition } from '../../deployment/definition';
import { FUNCTION_ERROR_CODES } from '../../model';
import { createBodyValidator } from '../core/validate';
import { ingestReadings } from '../ingest';
import { StorageUnavailableError } from '../store/reading-store';
import type { StoreResolution } from './environment';
import { readProxyRequest } from './proxy-request';

export interface LambdaHandlerDependencies {
  /** The store for this invocation, or why there is none (configuration missing). */
  resolveStore: () => StoreResolution;
  /** Receiver time: the future-epoch rule and ingested_at. */
  clock?: () => Date;
  logger: Logger;
  /** Time kept back from the function's deadline to answer 503 before Lambda kills the call. */
  deadlineMarginMs?: number;
}

export type ProxyHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

/** Seconds a client should wait before retrying a 503. */
const RETRY_AFTER_SECONDS = 1;

function jsonResponse(
  statusCode: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** Counts for the one log line per request. */
type Summary = Record<string, number | boolean | string>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function requestIdOf(event: unknown, context: unknown): string {
  const fromEvent =
    isRecord(event) && isRecord(event.requestContext) ? event.requestContext.requestId : undefined;
  if (typeof fromEvent === 'string' && fromEvent !== '') return fromEvent;
  const fromContext = isRecord(context) ? context.awsRequestId : undefined;
  return typeof fromContext === 'string' ? fromContext : 'unknown';
}

/** Milliseconds this invocation may still spend on storage. */
function storageBudgetMs(context: unknown, marginMs: number): number {
  const remaining =
    isRecord(context) && typeof context.getRemainingTimeInMillis === 'function'
      ? Number(context.getRemainingTimeInMillis())
      : pipelineDefinition.function.timeoutSeconds * 1000;
  return Math.max(0, (Number.isFinite(remaining) ? remaining : 0) - marginMs);
}

/**
 * Builds the Lambda proxy handler around its dependencies; handler/index.ts wires the real ones.
 * Statuses and bodies follow docs/CONTRACT.md. The handler never throws: an unexpected failure is
 * logged and answered 500.
 */
export function createLambdaHandler(deps: LambdaHandlerDependencies): ProxyHandler {
  const clock = deps.clock ?? (() => new Date());
  const validate = createBodyValidator(clock);
  const { logger } = deps;
  const marginMs = deps.deadlineMarginMs ?? 1000;

  async function respond(
    event: unknown,
    context: unknown,
    requestId: string,
    summary: Summary,
  ): Promise<APIGatewayProxyResult> {
    const resolved = deps.resolveStore();
    if (!resolved.ok) {
      logger.error(resolved.message, { requestId });
      return jsonResponse(500, {
        message: resolved.message,
        code: FUNCTION_ERROR_CODES.notConfigured,
        requestId,
      });
    }
    const request = readProxyRequest(event);
    if (!request.ok)
      return jsonResponse(request.statusCode, { message: request.message, requestId });

    const validation = validate(request.bodyText);
    if (!validation.ok) {
      summary.errors = validation.errors.length;
      return jsonResponse(400, {
        message: validation.message,
        errors: validation.errors,
        requestId,
      });
    }
    summary.readings = validation.readings.length;
    summary.batch = validation.batch;

    const outcome = await ingestReadings(validation.readings, {
      store: resolved.store,
      clock,
      signal: AbortSignal.timeout(storageBudgetMs(context, marginMs)),
    });
    if (outcome.kind === 'storage-failed') {
      const { error } = outcome;
      summary.storageError = error.name;
      logger.error('storage failed', { requestId, error });
      if (error instanceof StorageUnavailableError) {
        return jsonResponse(
          503,
          {
            message: `Storage is unavailable, throttling or too slow; nothing was lost: retry the same request after ${RETRY_AFTER_SECONDS} s. Readings already stored will count as duplicates`,
            code: FUNCTION_ERROR_CODES.storageUnavailable,
            requestId,
          },
          { 'Retry-After': String(RETRY_AFTER_SECONDS) },
        );
      }
      // Not retryable (the code says so): the bucket is gone or the role may not write to it.
      return jsonResponse(500, {
        message:
          'Storage refused the write; the deployment needs attention (see the function logs). Retrying will not help',
        code: FUNCTION_ERROR_CODES.storageRejected,
        requestId,
      });
    }
    const { accepted, duplicates, keys, conflicts } = outcome;
    Object.assign(summary, { accepted, duplicates, conflicts: conflicts.length });
    if (conflicts.length > 0) {
      return jsonResponse(409, {
        message: `${conflicts.length} reading(s) conflict with a different reading already stored under the same id and were not stored; the other readings were stored. Use a new id for a new reading`,
        conflicts,
        accepted,
        duplicates,
        keys,
        requestId,
      });
    }
    return jsonResponse(200, { accepted, duplicates, keys, requestId });
  }

  return async (event, context) => {
    const startedAt = performance.now();
    const requestId = requestIdOf(event, context);
    // injectLambdaContext equivalent: Lambda context fields on every log line of this invocation.
    if (isRecord(context)) logger.addContext(context as Context);
    const summary: Summary = {};
    let response: APIGatewayProxyResult;
    try {
      response = await respond(event, context, requestId, summary);
    } catch (error) {
      logger.error('unexpected failure', { requestId, error });
      response = jsonResponse(500, {
        message:
          'Internal error while handling the request; retry it, and report it if it persists',
        code: FUNCTION_ERROR_CODES.internal,
        requestId,
      });
    }
    logger.info('request handled', {
      requestId,
      status: response.statusCode,
      ...summary,
      durationMs: Math.round(performance.now() - startedAt),
    });
    return response;
  };
}
