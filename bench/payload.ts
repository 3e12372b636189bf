import { pipelineDefinition } from '../deployment/definition';
import { toStoredRecord } from '../handler/core/transform';
import { createReadingGenerator, type Reading } from '../model';

/** One reading as the producer sends it (batch size 1): the body autocannon repeats in B1. */
export function sampleReadingBody(): string {
  return JSON.stringify(createReadingGenerator({ seed: 42 })());
}

export const apiKeyHeader = pipelineDefinition.api.apiKeyHeader;

/** Bodies the handler stores: the S3-alone baseline writes objects of exactly this shape. */
export function storedRecordBody(reading: Reading): string {
  return JSON.stringify(toStoredRecord(reading, new Date()));
}
