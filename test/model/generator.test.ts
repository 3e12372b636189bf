import { createReadingGenerator, parseRequestBody, SENSOR_IDS } from '../../model';

const NOW_MS = Date.parse('2026-06-01T12:00:00.789Z');
const take = (next: () => unknown, n: number) => Array.from({ length: n }, () => next());

describe('createReadingGenerator', () => {
  it('repeats the same readings for the same seed', () => {
    const a = take(createReadingGenerator({ seed: 42, now: () => NOW_MS }), 50);
    const b = take(createReadingGenerator({ seed: 42, now: () => NOW_MS }), 50);
    expect(a).toEqual(b);
  });

  it('gives other readings for another seed', () => {
    const a = take(createReadingGenerator({ seed: 1, now: () => NOW_MS }), 5);
    const b = take(createReadingGenerator({ seed: 2, now: () => NOW_MS }), 5);
    expect(a).not.toEqual(b);
  });

  it('makes seeded ids in v4 form, all distinct', () => {
    const readings = take(createReadingGenerator({ seed: 7 }), 1000) as { id: string }[];
    for (const r of readings) {
      expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(readings.map((r) => r.id)).size).toBe(1000);
  });

  it('makes unseeded ids random: two generators do not repeat each other', () => {
    const a = createReadingGenerator()();
    const b = createReadingGenerator()();
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uses the 4 fixed sensors, temperatures 10.00..35.99 with two decimals, epoch = now in s', () => {
    expect(SENSOR_IDS).toHaveLength(4);
    expect(new Set(SENSOR_IDS).size).toBe(4);
    const readings = take(createReadingGenerator({ seed: 3, now: () => NOW_MS }), 2000) as {
      sensor_id: string;
      temperature: number;
      epoch: number;
    }[];
    const sensors = new Set<string>();
    for (const r of readings) {
      expect(SENSOR_IDS).toContain(r.sensor_id);
      sensors.add(r.sensor_id);
      expect(r.temperature).toBeGreaterThanOrEqual(10);
      expect(r.temperature).toBeLessThanOrEqual(35.99);
      expect(Number(r.temperature.toFixed(2))).toBe(r.temperature);
      expect(r.epoch).toBe(Math.floor(NOW_MS / 1000));
    }
    expect(sensors.size).toBe(4);
    const temps = readings.map((r) => r.temperature);
    expect(Math.min(...temps)).toBeLessThan(11);
    expect(Math.max(...temps)).toBeGreaterThan(35);
  });

  it('produces readings valid under the contract', () => {
    const next = createReadingGenerator({ seed: 11, now: () => NOW_MS });
    const batch = take(next, 500);
    expect(parseRequestBody(batch, new Date(NOW_MS))).toMatchObject({ ok: true, readings: batch });
  });

  it('follows the clock it is given', () => {
    let now = NOW_MS;
    const next = createReadingGenerator({ seed: 5, now: () => now });
    const first = next();
    now += 61_000;
    expect(next().epoch - first.epoch).toBe(61);
  });
});
