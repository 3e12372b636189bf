import { createReadingGenerator, type Reading } from '../../model';

const next = createReadingGenerator();

/** Fresh readings with ids no other case uses, so cases never see each other's objects. */
export function freshReadings(count: number): Reading[] {
  return Array.from({ length: count }, () => next());
}

export function freshReading(overrides: Partial<Reading> = {}): Reading {
  const [reading] = freshReadings(1);
  if (!reading) throw new Error('the generator yielded nothing');
  return { ...reading, ...overrides };
}
