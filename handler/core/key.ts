import type { Reading } from '../../model';
import { pipelineDefinition } from '../../pipeline/definition';

/**
 * `events/dt=YYYY-MM-DD/hour=HH/<id>.json`, from the reading's own epoch in UTC: a retry lands on
 * the same key, and the dt/hour segments are ready for Athena partition projection.
 */
export function objectKeyFor(reading: Pick<Reading, 'id' | 'epoch'>): string {
  const iso = new Date(reading.epoch * 1000).toISOString();
  const date = iso.slice(0, 10);
  const hour = iso.slice(11, 13);
  return `${pipelineDefinition.storage.keyPrefix}dt=${date}/hour=${hour}/${reading.id}.json`;
}
