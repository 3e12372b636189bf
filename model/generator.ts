import { randomInt, randomUUID } from 'node:crypto';
import type { Reading } from './reading';
import { mulberry32 } from './seeded-random';

/**
 * The four simulated sensors. The original project's sensor ids are not available, so these are
 * four fixed lower-case v4 UUIDs chosen for this kit.
 */
export const SENSOR_IDS = [
  '6f1c2a4e-8b3d-4c5e-9a7f-1e2d3c4b5a60',
  'a2b4c6d8-e0f2-4a1b-8c3d-5e7f9a1b3c5d',
  'c9e8d7f6-a5b4-4c3d-b2a1-0f9e8d7c6b5a',
  'f0e1d2c3-b4a5-4968-8776-655443322110',
] as const;

/** Temperatures are drawn in hundredths of a degree: 10.00 .. 35.99 °C. */
const MIN_CENTI_DEGREES = 1000;
const MAX_CENTI_DEGREES = 3599;

/** A v4-form UUID from 128 PRNG bits (version nibble 4, variant 10xx), so seeded runs repeat. */
function uuidV4From(next: () => number): string {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) view.setUint32(i * 4, next());
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A uniform integer in [min, max] from a uint32 source (modulo bias is negligible here). */
function intBetween(next: () => number, min: number, max: number): number {
  return min + (next() % (max - min + 1));
}

export interface ReadingGeneratorOptions {
  /** Same seed, same readings (ids included). Without a seed, ids come from crypto.randomUUID. */
  seed?: number;
  /** Milliseconds since the epoch, like Date.now (the default). */
  now?: () => number;
}

/** Returns a function producing one valid reading per call, timestamped with `now`. */
export function createReadingGenerator(options: ReadingGeneratorOptions = {}): () => Reading {
  const now = options.now ?? Date.now;
  const seeded = options.seed !== undefined;
  const next = mulberry32(options.seed ?? randomInt(0, 2 ** 32));
  const nextId = seeded ? () => uuidV4From(next) : () => randomUUID();
  return () => {
    const id = nextId();
    const sensorId = SENSOR_IDS[intBetween(next, 0, SENSOR_IDS.length - 1)] ?? SENSOR_IDS[0];
    const temperature = intBetween(next, MIN_CENTI_DEGREES, MAX_CENTI_DEGREES) / 100;
    return { id, sensor_id: sensorId, temperature, epoch: Math.floor(now() / 1000) };
  };
}
