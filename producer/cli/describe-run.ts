import { resolveEventsUrl } from '../events-url';
import type { ResolvedProducerOptions } from '../options';

/** The first progress line: what is about to happen, with the key masked. */
export function describeRun(o: ResolvedProducerOptions, maskedKey: string): string {
  const count = Number.isFinite(o.nEvents) ? `${o.nEvents} readings` : 'readings';
  const limit = o.duration !== undefined ? ` for ${o.duration} s` : '';
  const batch = o.batchSize > 1 ? ` in batches of ${o.batchSize}` : '';
  const pace =
    o.rate !== undefined
      ? `at ${o.rate}/s (open loop, up to ${o.nWorkers} in flight)`
      : `with ${o.nWorkers} worker${o.nWorkers === 1 ? '' : 's'}, ` +
        (o.maxDelay === 0 ? 'no pause' : `pausing ${o.minDelay}-${o.maxDelay} s`);
  return `producer: sending ${count}${limit}${batch} ${pace} to ${resolveEventsUrl(o.apiUrl).href} (key ${maskedKey})`;
}
