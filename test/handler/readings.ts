// Test helper: readings with predictable ids, timestamped a little before the test started.
import type { Reading } from '../../model';

/** Fixed once per test file, so readingNo(n) is the same reading however often it is built. */
const BASE_EPOCH = Math.floor(Date.now() / 1000) - 600;

export function readingNo(n: number, over: Partial<Reading> = {}): Reading {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    sensor_id: '6f1c2a4e-8b3d-4c5e-9a7f-1e2d3c4b5a60',
    temperature: 10 + (n % 26) + 0.25,
    epoch: BASE_EPOCH - n,
    ...over,
  };
}

export const readingsNo = (from: number, count: number): Reading[] =>
  Array.from({ length: count }, (_, i) => readingNo(from + i));
