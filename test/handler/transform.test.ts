import fc from 'fast-check';
import { toStoredRecord } from '../../handler/core/transform';
import { OLDEST_EPOCH, parseRequestBody, StoredRecordSchema } from '../../model';

const NOW = new Date('2026-06-01T12:00:00Z');
const INGESTED = new Date('2026-06-01T12:00:01.250Z');
const base = {
  id: '3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f',
  sensor_id: '6f1c2a4e-8b3d-4c5e-9a7f-1e2d3c4b5a60',
  temperature: 21.5,
  epoch: 1_780_000_000,
};

describe('toStoredRecord', () => {
  it.each([
    [9.99, 'C'],
    [10, 'A'],
    [19.99, 'A'],
    [20, 'B'],
    [29.999, 'B'],
    [30, 'C'],
    [-273.15, 'C'],
    [1000, 'C'],
  ])('puts %p °C in temp_group %s', (temperature, group) => {
    expect(toStoredRecord({ ...base, temperature }, INGESTED).temp_group).toBe(group);
  });

  it.each([
    [1, '1970-01-01 00:00:01'],
    [1_780_000_000, '2026-05-28 20:26:40'],
    [951_782_400, '2000-02-29 00:00:00'],
    [1_767_225_599, '2025-12-31 23:59:59'],
  ])('formats epoch %p as event_dt %s (UTC)', (epoch, dt) => {
    expect(toStoredRecord({ ...base, epoch }, INGESTED).event_dt).toBe(dt);
  });

  it('adds the source and the store time', () => {
    expect(toStoredRecord(base, INGESTED)).toEqual({
      ...base,
      temp_group: 'B',
      event_dt: '2026-05-28 20:26:40',
      ingestion_source: 'aws-api',
      ingested_at: '2026-06-01T12:00:01.250Z',
    });
  });

  it('round-trips every valid reading: input fields unchanged, derived fields right', () => {
    const reading = fc.record({
      id: fc.uuid(),
      sensor_id: fc.uuid(),
      temperature: fc.double({ min: -273.15, max: 1000, noNaN: true }),
      epoch: fc.integer({ min: OLDEST_EPOCH, max: NOW.getTime() / 1000 }),
    });
    fc.assert(
      fc.property(reading, (r) => {
        const parsed = parseRequestBody(r, NOW);
        if (!parsed.ok) throw new Error(parsed.message);
        const [valid] = parsed.readings;
        if (!valid) throw new Error('no reading');
        const stored = toStoredRecord(valid, INGESTED);
        expect(stored).toMatchObject(r);
        const t = r.temperature;
        expect(stored.temp_group).toBe(t >= 10 && t < 20 ? 'A' : t >= 20 && t < 30 ? 'B' : 'C');
        // Independent of the implementation: back from the text to the same second.
        expect(Date.parse(`${stored.event_dt.replace(' ', 'T')}Z`) / 1000).toBe(r.epoch);
        const asWritten: unknown = JSON.parse(JSON.stringify(stored)); // -0 is written as 0
        expect(StoredRecordSchema.parse(asWritten)).toEqual(asWritten);
      }),
    );
  });
});

describe('StoredRecordSchema', () => {
  const good = toStoredRecord(base, INGESTED);

  it.each([
    ['a wrong temp_group', { ...good, temp_group: 'A' }, 'temp_group'],
    [
      'an event_dt that does not match the epoch',
      { ...good, event_dt: '2026-05-28 21:26:40' },
      'event_dt',
    ],
    ['an upper-case id', { ...good, id: good.id.toUpperCase() }, 'id'],
    ['another source', { ...good, ingestion_source: 'kinesis' }, 'ingestion_source'],
    ['a local ingested_at', { ...good, ingested_at: '2026-06-01T14:00:01+02:00' }, 'ingested_at'],
    ['an extra field', { ...good, extra: 1 }, undefined],
    ['a missing field', { ...good, event_dt: undefined }, 'event_dt'],
  ])('refuses %s', (_name, record, field) => {
    const result = StoredRecordSchema.safeParse(record);
    expect(result.success).toBe(false);
    if (field) expect(result.error?.issues.map((i) => i.path[0])).toContain(field);
  });
});
