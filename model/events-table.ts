/**
 * The stored readings as a table: where each object goes (the key layout), its columns and types,
 * and its partitions. The handler writes by it, verify and the integration suite find objects by
 * it, the Glue table in infra/ is declared from it, and `npm run query` builds its local view from
 * it; adding a field to StoredRecordSchema does not compile until its column is added below.
 */
import type { Reading } from './reading';
import { OLDEST_EPOCH } from './reading';
import type { StoredRecord } from './stored-record';

/** The Hive/Athena types the table uses. */
export type TableColumnType = 'string' | 'double' | 'bigint' | 'timestamp';

export interface TableColumn {
  readonly name: string;
  readonly type: TableColumnType;
  readonly comment: string;
}

/** One entry per stored-record field, in the stored order: the compiler checks both ways. */
const recordColumns = {
  id: { type: 'string', comment: 'reading UUID (lower case)' },
  sensor_id: { type: 'string', comment: 'sensor UUID (lower case)' },
  temperature: { type: 'double', comment: 'degrees Celsius' },
  epoch: { type: 'bigint', comment: 'seconds since 1970-01-01 UTC' },
  temp_group: { type: 'string', comment: 'A: 10 <= t < 20, B: 20 <= t < 30, C otherwise' },
  event_dt: { type: 'timestamp', comment: 'epoch as YYYY-MM-DD HH:MM:SS UTC' },
  ingestion_source: { type: 'string', comment: 'always aws-api' },
  ingested_at: { type: 'string', comment: 'ISO-8601 UTC time the function stored it' },
} as const satisfies { [K in keyof StoredRecord]: Omit<TableColumn, 'name'> };

/** The partition of a reading: its UTC day and hour, from its own epoch. */
export interface Partition {
  /** YYYY-MM-DD */
  readonly dt: string;
  /** HH, 00-23 */
  readonly hour: string;
}

export const eventsTable = {
  /** The Glue table's name (its database is named after the stack: infra/athena-names.ts). */
  name: 'events',
  /** Every reading is stored under this prefix; the function's role is limited to it. */
  keyPrefix: 'events/',
  /** The stored record's fields, as the JSON SerDe reads them. */
  columns: Object.entries(recordColumns).map(
    ([name, column]): TableColumn => ({ name, ...column }),
  ),
  /** Taken from the key (`dt=.../hour=.../`), not from the object. */
  partitionColumns: [
    { name: 'dt', type: 'string', comment: 'YYYY-MM-DD of the reading (UTC)' },
    { name: 'hour', type: 'string', comment: 'HH of the reading (UTC)' },
  ] as const satisfies readonly (TableColumn & { name: keyof Partition })[],
  /** The first `dt` holding readings: the day of the contract's oldest epoch. */
  firstDt: new Date(OLDEST_EPOCH * 1000).toISOString().slice(0, 10),
  /** How `event_dt` is written (Hive's timestamp text, which the Hive JSON SerDe reads). */
  timestampFormat: 'yyyy-MM-dd HH:mm:ss',
} as const;

/** The partition a reading's epoch falls in (UTC). */
export function partitionOf(epochSeconds: number): Partition {
  const iso = new Date(epochSeconds * 1000).toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

/** `dt=<dt>/hour=<hour>/`: with `${dt}`/`${hour}` it is the Glue projection's location template. */
export function partitionPath(partition: Partition): string {
  return `dt=${partition.dt}/hour=${partition.hour}/`;
}

/**
 * `events/dt=YYYY-MM-DD/hour=HH/<id>.json`, from the reading's own epoch in UTC: a retry lands on
 * the same key, and the dt/hour segments are ready for Athena partition projection.
 */
export function objectKeyFor(reading: Pick<Reading, 'id' | 'epoch'>): string {
  return `${eventsTable.keyPrefix}${partitionPath(partitionOf(reading.epoch))}${reading.id}.json`;
}

/** The partition path with Glue's placeholders: the projection's `storage.location.template`. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Glue's placeholders, not a JS template.
export const partitionPathTemplate = partitionPath({ dt: '${dt}', hour: '${hour}' });

const keyPattern = /^dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/([^/]+)\.json$/;

/** The partition and id a key names, or undefined when it is not a reading's key. */
export function parseObjectKey(key: string): (Partition & { id: string }) | undefined {
  if (!key.startsWith(eventsTable.keyPrefix)) return undefined;
  const match = keyPattern.exec(key.slice(eventsTable.keyPrefix.length));
  if (!match) return undefined;
  const [, dt = '', hour = '', id = ''] = match;
  return { dt, hour, id };
}
