// The Lambda entry (pipeline/definition.ts function.entry/exportName): wires the real
// dependencies (S3 from the environment, the real clock, the JSON logger) into the handler.
import { createLambdaHandler } from './lambda/create-handler';
import { storeFromEnvironment } from './lambda/environment';
import { createLogger } from './lambda/logger';

export const handler = createLambdaHandler({
  resolveStore: () => storeFromEnvironment(process.env),
  logger: createLogger(),
});

export { objectKeyFor } from './core/key';
export { type StoredRecord, StoredRecordSchema, toStoredRecord } from './core/transform';
export { createBodyValidator } from './core/validate';
export { type IngestDependencies, type IngestOutcome, ingestReadings } from './ingest';
export {
  createLambdaHandler,
  type LambdaHandlerDependencies,
  type ProxyHandler,
} from './lambda/create-handler';
export { type StoreResolution, storeFromEnvironment } from './lambda/environment';
export {
  type PutOutcome,
  type ReadingStore,
  StorageRejectedError,
  StorageUnavailableError,
} from './store/reading-store';
export { createS3Store, type S3StoreOptions } from './store/s3-store';
