import * as z from 'zod';

/** The four fields a reading has; anything else is refused and named. */
export const READING_FIELDS = ['id', 'sensor_id', 'temperature', 'epoch'] as const;
export type ReadingField = (typeof READING_FIELDS)[number];

/** Absolute zero; nothing colder can be measured. */
export const MIN_TEMPERATURE = -273.15;
export const MAX_TEMPERATURE = 1000;
/** How far ahead of the receiver's clock an epoch may be (sensor clock skew). */
export const MAX_FUTURE_SECONDS = 300;
/**
 * 1e11 s is the year 5138, while epoch milliseconds have been above 1e12 since 2001: a value above
 * this is a milliseconds timestamp sent by mistake, not a real date.
 */
export const MILLISECONDS_THRESHOLD = 1e11;
/**
 * The oldest reading the pipeline stores: 2025-01-01 00:00:00 UTC. An older epoch is a sensor clock
 * that was never set (1970) or a wrong unit, not a reading. Athena's partition projection starts on
 * this day (model/events-table.ts), so every stored reading is queryable; each year moved back adds
 * 8,760 hour partitions that a query without a `dt` filter has to list.
 */
export const OLDEST_EPOCH = 1_735_689_600;

const UUID_HINT =
  'a UUID string in RFC 9562 form (8-4-4-4-12 hex digits, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e)';

/** Describes what was received without echoing strings (they may be huge or sensitive). */
function received(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'number') return String(input);
  return `a ${typeof input}`;
}

function uuidField(name: ReadingField) {
  return z
    .uuid({
      error: (iss) =>
        iss.input === undefined
          ? `${name} is required: ${UUID_HINT}`
          : `${name} must be ${UUID_HINT}; got ${typeof iss.input === 'string' ? 'a string that is not one' : received(iss.input)}`,
    })
    .toLowerCase();
}

const temperatureField = z
  .number({
    error: (iss) =>
      iss.input === undefined
        ? 'temperature is required: a JSON number in °C'
        : `temperature must be a finite JSON number from ${MIN_TEMPERATURE} to ${MAX_TEMPERATURE} (°C); got ${received(iss.input)}`,
  })
  .min(MIN_TEMPERATURE)
  .max(MAX_TEMPERATURE);

function epochField(now: () => Date) {
  const nowSeconds = () => Math.floor(now().getTime() / 1000);
  return (
    z
      .number({
        error: (iss) =>
          iss.input === undefined
            ? 'epoch is required: integer seconds since 1970-01-01 UTC'
            : `epoch must be integer seconds since 1970-01-01 UTC, at least ${OLDEST_EPOCH} (2025-01-01); got ${received(iss.input)}`,
      })
      // First, and aborting, so a milliseconds value gets this one message and not three.
      .refine((v) => v <= MILLISECONDS_THRESHOLD, {
        abort: true,
        error: (iss) =>
          typeof iss.input === 'number' && iss.input / 1000 <= nowSeconds() + MAX_FUTURE_SECONDS
            ? `epoch ${received(iss.input)} looks like milliseconds; send whole seconds (divide by 1000)`
            : `epoch ${received(iss.input)} is far in the future even as milliseconds; send integer seconds since 1970-01-01 UTC`,
      })
      .int()
      .refine((v) => v >= OLDEST_EPOCH, {
        error: (iss) =>
          `epoch ${received(iss.input)} is before ${OLDEST_EPOCH} (2025-01-01 00:00:00 UTC), the oldest reading the pipeline stores; check the sender's clock (an unset clock counts from 1970)`,
      })
      .refine((v) => v <= nowSeconds() + MAX_FUTURE_SECONDS, {
        error: (iss) =>
          `epoch ${received(iss.input)} is more than ${MAX_FUTURE_SECONDS} s in the future (receiver time ${nowSeconds()}); check the sender's clock`,
      })
  );
}

/**
 * The reading schema. `now` is read at parse time (the future-epoch rule), so tests and the
 * emulator can pass their own clock. Unknown fields are refused (strict), never dropped.
 */
export function createReadingSchema(now: () => Date = () => new Date()) {
  return z.strictObject(
    {
      id: uuidField('id'),
      sensor_id: uuidField('sensor_id'),
      temperature: temperatureField,
      epoch: epochField(now),
    },
    {
      error: (iss) =>
        iss.code === 'invalid_type'
          ? `a reading must be a JSON object with ${READING_FIELDS.join(', ')}; got ${received(iss.input)}`
          : undefined,
    },
  );
}

/** The reading schema with the real clock. */
export const ReadingSchema = createReadingSchema();

/** A valid reading as stored (ids lower-case). */
export type Reading = z.infer<typeof ReadingSchema>;
/** What a sender may put on the wire (ids in any case). */
export type ReadingInput = z.input<typeof ReadingSchema>;

/** Same reading: the four input fields are equal (ids compared lower-case, as stored). */
export function isSameReading(a: Reading, b: Reading): boolean {
  return (
    a.id.toLowerCase() === b.id.toLowerCase() &&
    a.sensor_id.toLowerCase() === b.sensor_id.toLowerCase() &&
    a.temperature === b.temperature &&
    a.epoch === b.epoch
  );
}
