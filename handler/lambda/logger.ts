import { Logger } from '@aws-lambda-powertools/logger';
import { pipelineDefinition } from '../../pipeline/definition';

/**
 * The function's structured JSON logger (POWERTOOLS_LOG_LEVEL and POWERTOOLS_SERVICE_NAME
 * apply). The raw event is never logged: it carries the API key (x-api-key header and
 * requestContext.identity.apiKey).
 */
export function createLogger(): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? pipelineDefinition.api.name,
  });
}
