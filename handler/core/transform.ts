import {
  eventDtOf,
  INGESTION_SOURCE,
  type Reading,
  type StoredRecord,
  StoredRecordSchema,
  tempGroupOf,
} from '../../model';

// The stored record's schema and type are part of the contract (model/); re-exported here so
// handler code and tests find them next to the transform that builds them.
export { type StoredRecord, StoredRecordSchema };

/** The stored record: the reading unchanged plus temp_group, event_dt, source and store time. */
export function toStoredRecord(reading: Reading, ingestedAt: Date): StoredRecord {
  return {
    id: reading.id,
    sensor_id: reading.sensor_id,
    temperature: reading.temperature,
    epoch: reading.epoch,
    temp_group: tempGroupOf(reading.temperature),
    event_dt: eventDtOf(reading.epoch),
    ingestion_source: INGESTION_SOURCE,
    ingested_at: ingestedAt.toISOString(),
  };
}
