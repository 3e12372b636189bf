// The contract shared by the handler, the producer and the tests. Keep this folder free of
// handler and AWS imports: the producer imports only from here.
export {
  eventDtOf,
  INGESTION_SOURCE,
  TEMP_GROUPS,
  type TempGroup,
  tempGroupOf,
} from './derived-fields';
export {
  DEPLOYMENT_ERROR_CODES,
  FUNCTION_ERROR_CODES,
  type FunctionErrorCode,
} from './error-codes';
export {
  eventsTable,
  objectKeyFor,
  type Partition,
  parseObjectKey,
  partitionOf,
  partitionPath,
  partitionPathTemplate,
  type TableColumn,
  type TableColumnType,
} from './events-table';
export type { FieldError } from './field-errors';
export {
  createReadingGenerator,
  type ReadingGeneratorOptions,
  SENSOR_IDS,
} from './generator';
export {
  createReadingSchema,
  isSameReading,
  MAX_FUTURE_SECONDS,
  MAX_TEMPERATURE,
  MILLISECONDS_THRESHOLD,
  MIN_TEMPERATURE,
  OLDEST_EPOCH,
  READING_FIELDS,
  type Reading,
  type ReadingField,
  type ReadingInput,
  ReadingSchema,
} from './reading';
export {
  createRequestBodyParser,
  MAX_BATCH,
  MAX_BODY_BYTES,
  MAX_REPORTED_ERRORS,
  type ParseResult,
  parseRequestBody,
} from './request-body';
export { mulberry32 } from './seeded-random';
export { type StoredRecord, StoredRecordSchema } from './stored-record';
