import fc from 'fast-check';
import {
  MAX_BATCH,
  MAX_FUTURE_SECONDS,
  OLDEST_EPOCH,
  parseRequestBody,
  READING_FIELDS,
} from '../../model';

const NOW = new Date('2026-06-01T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const MAX_EPOCH = NOW_S + MAX_FUTURE_SECONDS;

/** Upper/lower case mixed at random: accepted on the wire, stored lower-case. */
const anyCase = (uuid: fc.Arbitrary<string>) =>
  fc
    .tuple(uuid, fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
    .map(([u, upper]) => [...u].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

const validReading = fc.record({
  id: anyCase(fc.uuid()),
  sensor_id: anyCase(fc.uuid()),
  temperature: fc.double({ min: -273.15, max: 1000, noNaN: true }),
  epoch: fc.integer({ min: OLDEST_EPOCH, max: MAX_EPOCH }),
});

describe('valid readings', () => {
  it('are accepted with every field unchanged except ids lower-cased', () => {
    fc.assert(
      fc.property(validReading, (r) => {
        const result = parseRequestBody(r, NOW);
        expect(result).toEqual({
          ok: true,
          batch: false,
          readings: [{ ...r, id: r.id.toLowerCase(), sensor_id: r.sensor_id.toLowerCase() }],
        });
      }),
    );
  });

  it('are accepted in batches of 1..500 with distinct ids', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(validReading, {
          minLength: 1,
          maxLength: MAX_BATCH,
          selector: (r) => r.id.toLowerCase(),
        }),
        (batch) => {
          const result = parseRequestBody(batch, NOW);
          expect(result.ok && result.readings.length).toBe(batch.length);
        },
      ),
      { numRuns: 20 },
    );
  });
});

/** A reading with exactly one rule broken, and where the error must point. */
interface Violation {
  body: Record<string, unknown>;
  field: string;
}

const badUuid = fc.oneof(
  // Break the version nibble (0, 9-f are not RFC 9562 versions 1-8).
  fc
    .tuple(fc.uuid(), fc.constantFrom(...'09abcdef'))
    .map(([u, v]) => `${u.slice(0, 14)}${v}${u.slice(15)}`),
  // Break the variant bits (must be 10xx: 8, 9, a, b).
  fc
    .tuple(fc.uuid(), fc.constantFrom(...'01234567cdef'))
    .map(([u, v]) => `${u.slice(0, 19)}${v}${u.slice(20)}`),
  // Drop one character, or put a non-hex one in.
  fc.tuple(fc.uuid(), fc.nat(35)).map(([u, i]) => u.slice(0, i) + u.slice(i + 1)),
  fc.tuple(fc.uuid(), fc.nat(35)).map(([u, i]) => `${u.slice(0, i)}g${u.slice(i + 1)}`),
  fc.string({ maxLength: 40 }).filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({})),
);
const badTemperature = fc.oneof(
  fc.double({ max: -273.15, maxExcluded: true, noNaN: true }),
  fc.double({ min: 1000, minExcluded: true, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double({ min: -273.15, max: 1000, noNaN: true }).map(String),
  fc.oneof(fc.boolean(), fc.constant(null), fc.constant([1])),
);
const badEpoch = fc.oneof(
  fc.integer({ max: OLDEST_EPOCH - 1 }),
  fc.integer({ min: MAX_EPOCH + 1, max: 1e11 }),
  fc.integer({ min: 1e11 + 1, max: 4e12 }),
  fc.double({ min: 1, max: MAX_EPOCH, noNaN: true }).filter((d) => !Number.isInteger(d)),
  fc.integer({ min: 1, max: MAX_EPOCH }).map(String),
  fc.oneof(fc.boolean(), fc.constant(null)),
);
const unknownField = fc
  .string({ minLength: 1, maxLength: 20 })
  .filter((k) => !(READING_FIELDS as readonly string[]).includes(k));

const violation: fc.Arbitrary<Violation> = fc.oneof(
  fc.tuple(validReading, fc.constantFrom('id', 'sensor_id'), badUuid).map(([r, field, value]) => ({
    body: { ...r, [field]: value },
    field,
  })),
  fc
    .tuple(validReading, badTemperature)
    .map(([r, value]) => ({ body: { ...r, temperature: value }, field: 'temperature' })),
  fc
    .tuple(validReading, badEpoch)
    .map(([r, value]) => ({ body: { ...r, epoch: value }, field: 'epoch' })),
  fc.tuple(validReading, fc.constantFrom(...READING_FIELDS)).map(([r, field]) => {
    const body: Record<string, unknown> = { ...r };
    delete body[field];
    return { body, field };
  }),
  // A computed key makes even "__proto__" an own property, as JSON.parse does.
  fc.tuple(validReading, unknownField, fc.jsonValue()).map(([r, key, value]) => ({
    body: { ...r, [key]: value },
    field: key,
  })),
);

describe('invalid bodies', () => {
  it('a reading breaking any one rule is refused, the error naming its field', () => {
    fc.assert(
      fc.property(violation, ({ body, field }) => {
        const result = parseRequestBody(body, NOW);
        expect(result.ok).toBe(false);
        expect(result.ok ? [] : result.errors).toContainEqual(
          expect.objectContaining({ index: null, field }),
        );
      }),
    );
  });

  it('a batch holding one such reading is refused, the error naming its index and field', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(validReading, {
          minLength: 1,
          maxLength: 20,
          selector: (r) => r.id.toLowerCase(),
        }),
        violation,
        fc.nat(),
        (valid, { body, field }, at) => {
          const index = at % (valid.length + 1);
          const batch: unknown[] = [...valid.slice(0, index), body, ...valid.slice(index)];
          const result = parseRequestBody(batch, NOW);
          expect(result.ok).toBe(false);
          expect(result.ok ? [] : result.errors).toContainEqual(
            expect.objectContaining({ index, field }),
          );
        },
      ),
    );
  });

  it('a body that is neither an object nor an array is refused as a whole', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null)), (body) => {
        const result = parseRequestBody(body, NOW);
        expect(result.ok ? [] : result.errors).toEqual([
          { index: null, field: null, message: expect.stringMatching(/one reading/) },
        ]);
      }),
    );
  });

  it('an array of the wrong size is refused as a whole', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, MAX_BATCH + 1, MAX_BATCH + 50), validReading, (n, r) => {
        const result = parseRequestBody(
          Array.from({ length: n }, () => r),
          NOW,
        );
        expect(result.ok ? [] : result.errors).toContainEqual(
          expect.objectContaining({ index: null, field: null }),
        );
      }),
      { numRuns: 10 },
    );
  });
});
