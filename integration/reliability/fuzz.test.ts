/**
 * Fuzz: generated malformed bodies (broken JSON, wrong types, edge numbers, huge strings, deep
 * nesting, unknown fields, bad batches) get only 4xx answers, never a 5xx, and write nothing.
 */
import fc from 'fast-check';
import { MAX_BATCH, OLDEST_EPOCH, type Reading } from '../../model';
import { Bucket } from '../support/bucket';
import { type EmbeddedRun, startEmbedded } from '../support/embedded';
import { postRaw } from '../support/http';
import { freshReading, freshReadings } from '../support/readings';

let run: EmbeddedRun;
let bucket: Bucket;
beforeAll(async () => {
  // A throttle wide enough for a fuzz loop: the usage plan is not what is under test here.
  run = await startEmbedded({ throttle: { rateLimit: 100_000, burstLimit: 100_000 } });
  bucket = new Bucket(run.pipeline.s3, run.pipeline.bucket);
});
afterAll(async () => {
  bucket?.destroy();
  await run?.dispose();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
const notAUuid = fc.string({ maxLength: 40 }).filter((s) => !/^[0-9a-f-]{36}$/i.test(s));
const notANumber = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer()),
  fc.object(),
);

/** One reading with exactly one rule broken (each arbitrary breaks a rule of docs/CONTRACT.md). */
const brokenReading: fc.Arbitrary<unknown> = fc.oneof(
  notAUuid.map((id) => ({ ...freshReading(), id })),
  fc.oneof(notAUuid, notANumber).map((sensor_id) => ({ ...freshReading(), sensor_id })),
  notANumber.map((temperature) => ({ ...freshReading(), temperature })),
  fc
    .oneof(
      fc.double({ max: -273.1500001, noNaN: true }),
      fc.double({ min: 1000.0000001, noNaN: true }),
    )
    .map((temperature) => ({ ...freshReading(), temperature })),
  fc
    .oneof(
      fc.integer({ max: 0 }),
      fc.integer({ min: 1, max: OLDEST_EPOCH - 1 }), // before the oldest reading stored
      fc.double({ min: 1, max: 2e9, noInteger: true }),
      fc.integer({ min: 301, max: 10_000_000 }).map((ahead) => nowSeconds() + ahead),
      fc.constant(nowSeconds() * 1000),
      fc.string(),
    )
    .map((epoch) => ({ ...freshReading(), epoch })),
  fc.constantFrom('id', 'sensor_id', 'temperature', 'epoch').map((field) => {
    const reading: Record<string, unknown> = { ...freshReading() };
    delete reading[field];
    return reading;
  }),
  fc
    .tuple(fc.string({ minLength: 1 }), fc.jsonValue())
    .filter(([name]) => !['id', 'sensor_id', 'temperature', 'epoch', '__proto__'].includes(name))
    .map(([name, value]) => ({ ...freshReading(), [name]: value })),
  fc
    .integer({ min: 10_000, max: 300_000 })
    .map((size) => ({ ...freshReading(), sensor_id: 'x'.repeat(size) })),
);

/** Whole bodies: text that is not JSON, JSON that is no reading, batches with one bad item. */
const malformedBody: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constant(JSON.stringify(freshReading())), fc.nat())
    .map(([text, cut]) => text.slice(0, cut % text.length)),
  fc.string().filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }),
  fc
    .oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null))
    .map((value) => JSON.stringify(value)),
  brokenReading.map((reading) => JSON.stringify(reading)),
  fc
    .tuple(brokenReading, fc.nat({ max: 20 }))
    .map(([bad, good]) => JSON.stringify([...freshReadings(good), bad])),
  fc.constantFrom('[]', '{}', '[[]]', '[null]', '[1,2,3]'),
  fc.constant(null).map(() => JSON.stringify(freshReadings(MAX_BATCH + 1))),
  // Edge numbers JSON.stringify cannot write: overflow to Infinity, and -0.
  fc.constantFrom('1e400', '-1e400').map((big) => {
    const reading: Reading = freshReading();
    return JSON.stringify(reading).replace(/"temperature":[^,}]+/, `"temperature":${big}`);
  }),
  fc.integer({ min: 100, max: 200_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc
    .integer({ min: 100, max: 100_000 })
    .map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
);

/** A run is replayed by its seed: FUZZ_SEED=<seed> npm run test:integration -- --testPathPatterns fuzz */
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

it('answers 1,000 malformed bodies with 4xx only and writes nothing', async () => {
  const statuses = new Map<number, number>();
  const property = fc.assert(
    fc.asyncProperty(malformedBody, async (body) => {
      const { status } = await postRaw(run.pipeline.apiUrl, run.pipeline.apiKey, body);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }),
    { numRuns: 1000, seed },
  );
  await property.catch((error: unknown) => {
    throw new Error(
      `fuzz failed with seed ${seed}; replay: FUZZ_SEED=${seed} npm run test:integration -- --testPathPatterns fuzz\n${error instanceof Error ? error.message : String(error)}`,
    );
  });
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1000);
  expect(await bucket.keys('')).toEqual([]);
}, 180_000);
