import { createBodyValidator } from '../../handler/core/validate';

const NOW = new Date('2026-06-01T12:00:00Z');
const validate = createBodyValidator(() => NOW);
const reading = {
  id: '3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f',
  sensor_id: '6f1c2a4e-8b3d-4c5e-9a7f-1e2d3c4b5a60',
  temperature: 21.5,
  epoch: NOW.getTime() / 1000 - 10,
};

describe('createBodyValidator', () => {
  it.each([
    ['text', 'hello'],
    ['truncated JSON', '{"id": "3f2b'],
    ['two JSON values', '{} {}'],
    ['an empty string', ''],
  ])('refuses %s as not JSON, body-level', (_name, text) => {
    const result = validate(text);
    expect(result).toEqual({
      ok: false,
      message: expect.stringMatching(/^The body is not valid JSON/),
      errors: [{ index: null, field: null, message: expect.stringMatching(/not valid JSON/) }],
    });
  });

  it('parses JSON and applies the contract', () => {
    expect(validate(JSON.stringify(reading))).toEqual({
      ok: true,
      batch: false,
      readings: [reading],
    });
    expect(validate(JSON.stringify([reading]))).toMatchObject({ ok: true, batch: true });
    expect(validate(JSON.stringify({ ...reading, epoch: 0 }))).toMatchObject({
      ok: false,
      errors: [{ index: null, field: 'epoch' }],
    });
  });

  it('reads its clock per call', () => {
    let now = NOW;
    const v = createBodyValidator(() => now);
    const future = JSON.stringify({ ...reading, epoch: NOW.getTime() / 1000 + 600 });
    expect(v(future).ok).toBe(false);
    now = new Date(NOW.getTime() + 600_000);
    expect(v(future).ok).toBe(true);
  });
});
