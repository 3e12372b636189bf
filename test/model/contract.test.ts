import {
  type FieldError,
  MAX_BATCH,
  MAX_BODY_BYTES,
  MAX_REPORTED_ERRORS,
  OLDEST_EPOCH,
  parseRequestBody,
  type ReadingInput,
} from '../../model';

const NOW = new Date('2026-06-01T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;

const reading = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: '3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f',
  sensor_id: '6f1c2a4e-8b3d-4c5e-9a7f-1e2d3c4b5a60',
  temperature: 21.5,
  epoch: NOW_S - 60,
  ...over,
});
const without = (field: string) => {
  const r = reading();
  delete r[field];
  return r;
};
const nthId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const batchOf = (n: number) => Array.from({ length: n }, (_, i) => reading({ id: nthId(i) }));

describe('limits', () => {
  it('are the contract values', () => {
    expect(MAX_BATCH).toBe(500);
    expect(MAX_BODY_BYTES).toBe(1_048_576);
  });
});

describe('valid bodies', () => {
  const valid: [string, unknown][] = [
    ['a single reading', reading()],
    ['a version 1 UUID id', reading({ id: 'c232ab00-9414-11ec-b3c8-9f6bdeced846' })],
    ['a version 7 UUID id', reading({ id: '017f22e2-79b0-7cc3-98c4-dc0c0c07398f' })],
    [
      'the nil UUID (RFC 9562 names it)',
      reading({ sensor_id: '00000000-0000-0000-0000-000000000000' }),
    ],
    ['temperature at absolute zero', reading({ temperature: -273.15 })],
    ['temperature at 1000', reading({ temperature: 1000 })],
    ['an integer temperature', reading({ temperature: 0 })],
    ['the oldest epoch stored (2025-01-01)', reading({ epoch: OLDEST_EPOCH })],
    ['epoch exactly 300 s ahead', reading({ epoch: NOW_S + 300 })],
    ['a batch of one', [reading()]],
    [`a batch of ${MAX_BATCH}`, batchOf(MAX_BATCH)],
    ['the same reading twice in a batch', [reading(), reading()]],
  ];
  it.each(valid)('accepts %s', (_name, body) => {
    const result = parseRequestBody(body, NOW);
    expect(result).toMatchObject({ ok: true, batch: Array.isArray(body) });
  });

  it('stores ids lower-case and keeps other fields unchanged', () => {
    const input: ReadingInput = {
      id: '3F2B8C1E-5D4A-4B6C-9E8F-0A1B2C3D4E5F',
      sensor_id: '6F1C2A4E-8B3D-4C5E-9A7F-1E2D3C4B5A60',
      temperature: -4.25,
      epoch: NOW_S,
    };
    expect(parseRequestBody(input, NOW)).toEqual({
      ok: true,
      batch: false,
      readings: [
        { ...input, id: input.id.toLowerCase(), sensor_id: input.sensor_id.toLowerCase() },
      ],
    });
  });
});

interface Bad {
  name: string;
  body: unknown;
  error: { index: number | null; field: string | null; message: RegExp };
}

const uuidMessage = /UUID string in RFC 9562 form/;
const badReadings: Bad[] = [
  {
    name: 'id not a UUID',
    body: reading({ id: 'sensor-1' }),
    error: { index: null, field: 'id', message: uuidMessage },
  },
  {
    name: 'id version 0',
    body: reading({ id: '3f2b8c1e-5d4a-0b6c-9e8f-0a1b2c3d4e5f' }),
    error: { index: null, field: 'id', message: uuidMessage },
  },
  {
    name: 'id variant bits not 10xx',
    body: reading({ id: '3f2b8c1e-5d4a-4b6c-ce8f-0a1b2c3d4e5f' }),
    error: { index: null, field: 'id', message: uuidMessage },
  },
  {
    name: 'id without hyphens',
    body: reading({ id: '3f2b8c1e5d4a4b6c9e8f0a1b2c3d4e5f' }),
    error: { index: null, field: 'id', message: uuidMessage },
  },
  {
    name: 'id in braces',
    body: reading({ id: '{3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f}' }),
    error: { index: null, field: 'id', message: uuidMessage },
  },
  {
    name: 'id a number',
    body: reading({ id: 42 }),
    error: { index: null, field: 'id', message: /got 42/ },
  },
  {
    name: 'id missing',
    body: without('id'),
    error: { index: null, field: 'id', message: /id is required/ },
  },
  {
    name: 'sensor_id not a UUID',
    body: reading({ sensor_id: 'kitchen' }),
    error: { index: null, field: 'sensor_id', message: uuidMessage },
  },
  {
    name: 'sensor_id missing',
    body: without('sensor_id'),
    error: { index: null, field: 'sensor_id', message: /sensor_id is required/ },
  },
  {
    name: 'temperature as a string',
    body: reading({ temperature: '21.5' }),
    error: { index: null, field: 'temperature', message: /JSON number.*got a string/ },
  },
  {
    name: 'temperature null',
    body: reading({ temperature: null }),
    error: { index: null, field: 'temperature', message: /got null/ },
  },
  {
    name: 'temperature below absolute zero',
    body: reading({ temperature: -273.16 }),
    error: { index: null, field: 'temperature', message: /-273\.15 to 1000.*got -273\.16/ },
  },
  {
    name: 'temperature above 1000',
    body: reading({ temperature: 1000.01 }),
    error: { index: null, field: 'temperature', message: /got 1000\.01/ },
  },
  {
    name: 'temperature infinite',
    body: reading({ temperature: Number.POSITIVE_INFINITY }),
    error: { index: null, field: 'temperature', message: /finite/ },
  },
  {
    name: 'temperature NaN',
    body: reading({ temperature: Number.NaN }),
    error: { index: null, field: 'temperature', message: /finite/ },
  },
  {
    name: 'temperature missing',
    body: without('temperature'),
    error: { index: null, field: 'temperature', message: /temperature is required/ },
  },
  {
    name: 'epoch fractional',
    body: reading({ epoch: NOW_S - 0.5 }),
    error: { index: null, field: 'epoch', message: /integer seconds/ },
  },
  {
    name: 'epoch 0',
    body: reading({ epoch: 0 }),
    error: { index: null, field: 'epoch', message: /epoch 0 is before 1735689600 \(2025-01-01/ },
  },
  {
    name: 'epoch one second before the oldest stored',
    body: reading({ epoch: OLDEST_EPOCH - 1 }),
    error: { index: null, field: 'epoch', message: /the oldest reading the pipeline stores/ },
  },
  {
    name: 'epoch negative',
    body: reading({ epoch: -5 }),
    error: { index: null, field: 'epoch', message: /check the sender's clock/ },
  },
  {
    name: 'epoch as a string',
    body: reading({ epoch: String(NOW_S) }),
    error: { index: null, field: 'epoch', message: /got a string/ },
  },
  {
    name: 'epoch 301 s in the future',
    body: reading({ epoch: NOW_S + 301 }),
    error: { index: null, field: 'epoch', message: /more than 300 s in the future/ },
  },
  {
    name: 'epoch in milliseconds',
    body: reading({ epoch: NOW.getTime() }),
    error: { index: null, field: 'epoch', message: /looks like milliseconds/ },
  },
  {
    name: 'epoch far beyond milliseconds',
    body: reading({ epoch: 1.2e29 }),
    error: { index: null, field: 'epoch', message: /far in the future even as milliseconds/ },
  },
  {
    name: 'epoch missing',
    body: without('epoch'),
    error: { index: null, field: 'epoch', message: /epoch is required/ },
  },
  {
    name: 'an unknown field',
    body: reading({ humidity: 40 }),
    error: { index: null, field: 'humidity', message: /unknown field "humidity"/ },
  },
  {
    name: 'the own key __proto__',
    body: JSON.parse(`{"__proto__":{},${JSON.stringify(reading()).slice(1)}`),
    error: { index: null, field: '__proto__', message: /unknown field/ },
  },
];

const badBodies: Bad[] = [
  {
    name: 'a string',
    body: 'hello',
    error: { index: null, field: null, message: /one reading .* or a JSON array/ },
  },
  { name: 'a number', body: 7, error: { index: null, field: null, message: /got number/ } },
  { name: 'null', body: null, error: { index: null, field: null, message: /got null/ } },
  { name: 'true', body: true, error: { index: null, field: null, message: /got boolean/ } },
  {
    name: 'an empty array',
    body: [],
    error: { index: null, field: null, message: /1 to 500 readings; got 0/ },
  },
  {
    name: `${MAX_BATCH + 1} readings`,
    body: batchOf(MAX_BATCH + 1),
    error: { index: null, field: null, message: /1 to 500 readings; got 501/ },
  },
  {
    name: 'an array item that is not an object',
    body: [reading(), 'x'],
    error: { index: 1, field: null, message: /must be a JSON object/ },
  },
  {
    name: 'an invalid reading at index 2',
    body: [
      reading({ id: nthId(0) }),
      reading({ id: nthId(1) }),
      reading({ id: nthId(2), temperature: 5000 }),
    ],
    error: { index: 2, field: 'temperature', message: /got 5000/ },
  },
  {
    name: 'an unknown field at index 1',
    body: [reading({ id: nthId(0) }), reading({ id: nthId(1), extra: 1 })],
    error: { index: 1, field: 'extra', message: /unknown field "extra"/ },
  },
  {
    name: 'one id with two different readings',
    body: [reading(), reading({ temperature: 30 })],
    error: {
      index: 1,
      field: 'id',
      message: /also used by the reading at index 0 with different content/,
    },
  },
];

describe('invalid bodies', () => {
  it.each([...badReadings, ...badBodies].map((c) => [c.name, c] as const))(
    'refuses %s, naming index, field and reason',
    (_name, bad) => {
      const result = parseRequestBody(bad.body, NOW);
      if (result.ok) throw new Error('accepted an invalid body');
      expect(result.errors).toContainEqual({
        ...bad.error,
        message: expect.stringMatching(bad.error.message),
      });
      expect(result.message).toMatch(/nothing was stored|one reading/);
    },
  );

  it.each(badReadings.map((c) => [c.name, c] as const))(
    'refuses %s inside a batch, at its index',
    (_name, bad) => {
      const body = [reading({ id: nthId(1) }), reading({ id: nthId(2) }), bad.body];
      const result = parseRequestBody(body, NOW);
      if (result.ok) throw new Error('accepted an invalid batch');
      expect(result.errors).toContainEqual({
        ...bad.error,
        index: 2,
        message: expect.stringMatching(bad.error.message),
      });
    },
  );

  it('names every unknown field', () => {
    const result = parseRequestBody(reading({ a: 1, b: 2 }), NOW);
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.errors.map((e: FieldError) => e.field);
    expect(fields).toEqual(['a', 'b']);
  });

  it('gives a milliseconds epoch one message, not a pile', () => {
    const result = parseRequestBody(reading({ epoch: NOW.getTime() + 0.5 }), NOW);
    expect(result.ok ? [] : result.errors).toEqual([
      { index: null, field: 'epoch', message: expect.stringMatching(/looks like milliseconds/) },
    ]);
  });

  it('reports every problem of a reading, and of every reading in a batch', () => {
    const result = parseRequestBody(
      [
        reading({ id: 'x', temperature: 'hot' }),
        reading({ id: nthId(7) }),
        reading({ id: nthId(8), epoch: 0 }),
      ],
      NOW,
    );
    expect(result.ok ? [] : result.errors.map((e) => [e.index, e.field])).toEqual([
      [0, 'id'],
      [0, 'temperature'],
      [2, 'epoch'],
    ]);
  });

  it(`lists at most ${MAX_REPORTED_ERRORS} errors and says how many more`, () => {
    const body = Array.from({ length: 150 }, (_, i) => reading({ id: nthId(i), temperature: 'x' }));
    const result = parseRequestBody(body, NOW);
    if (result.ok) throw new Error('accepted');
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(result.errors.at(-1)?.message).toBe('50 more errors not listed');
    expect(result.message).toMatch(/\(150 errors\)/);
  });

  it('cuts a huge unknown field name in the error', () => {
    const name = 'k'.repeat(10_000);
    const result = parseRequestBody(reading({ [name]: 1 }), NOW);
    const error = result.ok ? undefined : result.errors[0];
    expect(error?.field).toBe(`${'k'.repeat(64)}…`);
    expect(error?.message.length).toBeLessThan(200);
  });
});

describe('the clock', () => {
  it('is read when parsing: the same epoch is refused or accepted depending on now', () => {
    const epoch = NOW_S + 1000;
    expect(parseRequestBody(reading({ epoch }), NOW).ok).toBe(false);
    expect(parseRequestBody(reading({ epoch }), new Date((epoch - 300) * 1000)).ok).toBe(true);
  });

  it('defaults to the real time', () => {
    const nowS = Math.floor(Date.now() / 1000);
    expect(parseRequestBody(reading({ epoch: nowS })).ok).toBe(true);
    expect(parseRequestBody(reading({ epoch: nowS + 3600 })).ok).toBe(false);
  });
});
