// The Lambda entry (pipeline/definition.ts function.entry/exportName): wires the real
// dependencies (S3 from the environment, the real clock, the JSON logger) into the handler.
import { createLambdaHandler } from './lambda/create-handler';
import { storeFromEnvironment } from './lambda/environment';
import { createLogger } from './lambda/logger';

export const handler = createLambdaHandler({
  resolveStore: () => storeFromEnvironment(process.env),
  logger: createLogger(),
});
