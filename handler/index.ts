// The Lambda entry (deployment/definition.ts function.entry/exportName): wires the real
// dependencies (S3 from the environment, the real clock, the JSON logger) into the handler.
import { Logger } from '@aws-lambda-powertools/logger';
import { pipelineDefinition } from '../deployment/definition';
import { createLambdaHandler } from './lambda/create-handler';
import { storeFromEnvironment } from './lambda/environment';

/**
 * The function's structured JSON logger (POWERTOOLS_LOG_LEVEL and POWERTOOLS_SERVICE_NAME
 * apply). The raw event is never logged: it carries the API key (x-api-key header and
 * requestContext.identity.apiKey).
 */
function createLogger(): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? pipelineDefinition.api.name,
  });
}

export const handler = createLambdaHandler({
  resolveStore: () => storeFromEnvironment(process.env),
  logger: createLogger(),
});
