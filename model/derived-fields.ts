/**
 * The fields the pipeline adds to a reading (kept from the original pipeline). They live in the
 * model because they are part of the contract: the handler computes them, and anyone checking
 * stored objects (integration tests, a verify command) checks them with the same rules.
 */

export const TEMP_GROUPS = ['A', 'B', 'C'] as const;
export type TempGroup = (typeof TEMP_GROUPS)[number];

/** Every stored record carries this source tag. */
export const INGESTION_SOURCE = 'aws-api';

/** "A" for 10 <= t < 20, "B" for 20 <= t < 30, "C" otherwise. */
export function tempGroupOf(temperature: number): TempGroup {
  if (temperature >= 10 && temperature < 20) return 'A';
  if (temperature >= 20 && temperature < 30) return 'B';
  return 'C';
}

/** The epoch as `YYYY-MM-DD HH:MM:SS` in UTC: Athena/Hive timestamp text. */
export function eventDtOf(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
