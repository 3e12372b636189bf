import * as z from 'zod';
import { eventDtOf, INGESTION_SOURCE, TEMP_GROUPS, tempGroupOf } from './derived-fields';
import { ReadingSchema } from './reading';

/**
 * One stored object: the reading plus the derived fields. Parsing a stored object with this schema
 * also checks that the derived fields agree with the reading and that ids are stored lower-case.
 */
const storedUuid = (name: string) =>
  z.uuid(`${name} must be a UUID`).lowercase(`${name} must be stored lower-case`);

export const StoredRecordSchema = ReadingSchema.extend({
  id: storedUuid('id'),
  sensor_id: storedUuid('sensor_id'),
  temp_group: z.enum(TEMP_GROUPS),
  event_dt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'event_dt must be YYYY-MM-DD HH:MM:SS'),
  ingestion_source: z.literal(INGESTION_SOURCE),
  ingested_at: z.iso.datetime({ message: 'ingested_at must be an ISO-8601 UTC time (…Z)' }),
}).superRefine((record, ctx) => {
  const expectedGroup = tempGroupOf(record.temperature);
  if (record.temp_group !== expectedGroup) {
    ctx.addIssue({
      code: 'custom',
      path: ['temp_group'],
      message: `temp_group is ${record.temp_group} but temperature ${record.temperature} belongs to ${expectedGroup}`,
    });
  }
  const expectedDt = eventDtOf(record.epoch);
  if (record.event_dt !== expectedDt) {
    ctx.addIssue({
      code: 'custom',
      path: ['event_dt'],
      message: `event_dt is ${record.event_dt} but epoch ${record.epoch} is ${expectedDt} UTC`,
    });
  }
});

/** A stored record, as written to S3 by the handler. */
export type StoredRecord = z.infer<typeof StoredRecordSchema>;
