/**
 * The cases every target must pass: PIPELINE_TARGET=embedded (default) | localstack | endpoint | aws.
 * They push through the gateway and read back from S3 with the AWS SDK; no case branches on the
 * target.
 */
import { MAX_BATCH, type Reading } from '../model';
import { Bucket } from './support/bucket';
import { postRaw, siblingUrl } from './support/http';
import { produceAndVerify } from './support/produce';
import { freshReading, freshReadings } from './support/readings';
import { type StartedTarget, startBudgetMs, startTarget, targetFromEnv } from './targets';

let target: StartedTarget;
let bucket: Bucket;

beforeAll(async () => {
  target = await startTarget();
  bucket = new Bucket(target.s3, target.bucket);
}, startBudgetMs[targetFromEnv()]);

afterAll(async () => {
  bucket?.destroy();
  await target?.stop();
}, 120_000);

const post = (body: unknown, apiKey: string | null = target.apiKey) =>
  postRaw(target.apiUrl, apiKey, typeof body === 'string' ? body : JSON.stringify(body));

describe('readings pushed with the producer', () => {
  it('land exactly once, transformed, under the right key', async () => {
    const { summary, verdict } = await produceAndVerify(target, { nEvents: 40, nWorkers: 4 });
    expect(summary).toMatchObject({ sent: 40, acked: 40, failed: 0, aborted: 0 });
    expect(verdict).toMatchObject({ expected: 40, verified: 40, ok: true });
  });

  it('in batches are stored one object per reading', async () => {
    const { summary, verdict } = await produceAndVerify(target, {
      nEvents: 250,
      nWorkers: 2,
      batchSize: 100,
    });
    expect(summary).toMatchObject({ sent: 250, acked: 250, failed: 0, requests: 3 });
    expect(verdict).toMatchObject({ verified: 250, ok: true });
  });
});

describe('a batch posted directly', () => {
  it('answers 200 with one key per reading, and each key holds its reading', async () => {
    const readings = freshReadings(MAX_BATCH);
    const { status, body } = await post(readings);
    expect(status).toBe(200);
    expect(body).toMatchObject({ accepted: MAX_BATCH, duplicates: 0 });
    const keys = (body as { keys: string[] }).keys;
    expect(new Set(keys).size).toBe(MAX_BATCH);
    for (const [index, reading] of readings.entries()) {
      if (index % 50 !== 0) continue; // a sample: the producer cases verify every object
      const key = keys.find((candidate) => candidate.endsWith(`/${reading.id}.json`));
      expect(key).toBeDefined();
      expect(JSON.parse((await bucket.read(key ?? '')) ?? 'null')).toMatchObject(reading);
    }
  });
});

describe('delivering the same reading twice', () => {
  it('keeps one object and reports the second delivery as a duplicate', async () => {
    const reading = freshReading();
    const first = await post(reading);
    expect(first).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0 } });
    const key = (first.body as { keys: string[] }).keys[0] ?? '';
    const stored = await bucket.read(key);

    const second = await post(reading);
    expect(second).toMatchObject({
      status: 200,
      body: { accepted: 0, duplicates: 1, keys: [key] },
    });
    expect(await bucket.read(key)).toBe(stored);
    expect(await bucket.keys(key)).toEqual([key]);
  });
});

describe('an id reused with different content', () => {
  it('gets 409 and leaves the stored object untouched', async () => {
    const reading = freshReading({ temperature: 21.5 });
    const first = await post(reading);
    expect(first.status).toBe(200);
    const key = (first.body as { keys: string[] }).keys[0] ?? '';
    const stored = await bucket.read(key);

    const conflict = await post({ ...reading, temperature: 22.5 });
    expect(conflict.status).toBe(409);
    expect(JSON.stringify(conflict.body)).toContain(reading.id);
    expect(await bucket.read(key)).toBe(stored);
  });
});

describe('the API key', () => {
  it.each([
    ['missing', null],
    ['wrong', 'not-the-key-0123456789'],
  ])('%s: 403 Forbidden and nothing is written', async (_case, apiKey) => {
    const reading = freshReading();
    const { status, body } = await post(reading, apiKey);
    expect(status).toBe(403);
    expect(body).toEqual({ message: 'Forbidden' });
    expect(await bucket.has(reading)).toBe(false);
  });
});

describe('an unknown route', () => {
  it.each([
    ['another path', 'POST', '/readings'],
    ['another method', 'GET', '/events'],
  ])('%s: 403 Missing Authentication Token', async (_case, method, route) => {
    const response = await fetch(siblingUrl(target.apiUrl, route), {
      method,
      headers: { 'x-api-key': target.apiKey },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });
});

/** Each body breaks one rule of docs/CONTRACT.md; `bystanders` are valid readings in the same request. */
type InvalidCase = [name: string, make: () => { body: string; bystanders: Reading[] }];
const nowSeconds = () => Math.floor(Date.now() / 1000);
const withBystander = (
  broken: (valid: Reading) => unknown,
): (() => {
  body: string;
  bystanders: Reading[];
}) => {
  return () => {
    const [bystander, victim] = freshReadings(2) as [Reading, Reading];
    return { body: JSON.stringify([bystander, broken(victim)]), bystanders: [bystander] };
  };
};

const invalidBodies: InvalidCase[] = [
  ['not JSON', () => ({ body: '{"id": ', bystanders: [] })],
  ['a JSON string', () => ({ body: '"reading"', bystanders: [] })],
  ['a JSON number', () => ({ body: '42', bystanders: [] })],
  ['null', () => ({ body: 'null', bystanders: [] })],
  ['an empty array', () => ({ body: '[]', bystanders: [] })],
  [
    'over 500 readings',
    () => {
      const readings = freshReadings(MAX_BATCH + 1);
      return { body: JSON.stringify(readings), bystanders: readings.slice(0, 3) };
    },
  ],
  ['id not a UUID', withBystander((r) => ({ ...r, id: 'not-a-uuid' }))],
  ['sensor_id not a UUID', withBystander((r) => ({ ...r, sensor_id: 12345 }))],
  ['temperature a string', withBystander((r) => ({ ...r, temperature: '21.5' }))],
  ['temperature below absolute zero', withBystander((r) => ({ ...r, temperature: -273.16 }))],
  ['temperature above 1000', withBystander((r) => ({ ...r, temperature: 1000.01 }))],
  ['epoch not an integer', withBystander((r) => ({ ...r, epoch: r.epoch + 0.5 }))],
  ['epoch zero', withBystander((r) => ({ ...r, epoch: 0 }))],
  ['epoch in milliseconds', withBystander((r) => ({ ...r, epoch: r.epoch * 1000 }))],
  ['epoch over 300 s ahead', withBystander((r) => ({ ...r, epoch: nowSeconds() + 3600 }))],
  ['a field missing', withBystander(({ temperature: _dropped, ...rest }) => rest)],
  ['an unknown field', withBystander((r) => ({ ...r, humidity: 40 }))],
];

describe('an invalid body', () => {
  it.each(invalidBodies)('%s: 400 with the reason, and nothing is written', async (_name, make) => {
    const { body, bystanders } = make();
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ message: expect.any(String), errors: expect.any(Array) });
    for (const reading of bystanders) expect(await bucket.has(reading)).toBe(false);
  });

  it('names the index and the field of each invalid reading', async () => {
    const [good, bad] = freshReadings(2) as [Reading, Reading];
    const response = await post([good, { ...bad, temperature: 5000, colour: 'red' }]);
    expect(response.status).toBe(400);
    const errors = (response.body as { errors: { index: number; field: string }[] }).errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 1, field: 'temperature' }),
        expect.objectContaining({ index: 1, field: 'colour' }),
      ]),
    );
    expect(await bucket.has(good)).toBe(false);
  });

  it('that is not JSON by content type: 415', async () => {
    const reading = freshReading();
    const response = await postRaw(
      target.apiUrl,
      target.apiKey,
      JSON.stringify(reading),
      'text/plain',
    );
    expect(response.status).toBe(415);
    expect(await bucket.has(reading)).toBe(false);
  });

  it('over 1 MiB: 413 and nothing is written', async () => {
    const readings = freshReadings(MAX_BATCH);
    const padded = `${JSON.stringify(readings)}${' '.repeat(1024 * 1024)}`;
    const response = await post(padded);
    expect(response.status).toBe(413);
    expect(await bucket.has(readings[0] as Reading)).toBe(false);
  });
});
