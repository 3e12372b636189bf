import type { Reading } from '../model';
import { createReadingGenerator } from '../model';

/** Hands out readings to the schedulers, up to a limit, in send order. */
export interface ReadingSource {
  /** Up to `n` readings; fewer (or none) once the limit is reached. */
  take(n: number): Reading[];
  readonly exhausted: boolean;
  readonly taken: number;
}

export function createReadingSource(opts: {
  limit: number;
  seed?: number;
  readings?: readonly Reading[];
}): ReadingSource {
  const next: () => Reading = opts.readings
    ? (() => {
        const fixed = opts.readings;
        let i = 0;
        return () => fixed[i++] as Reading;
      })()
    : createReadingGenerator(opts.seed === undefined ? {} : { seed: opts.seed });
  let taken = 0;
  return {
    take(n) {
      const count = Math.max(0, Math.min(n, opts.limit - taken));
      const out: Reading[] = [];
      for (let i = 0; i < count; i++) out.push(next());
      taken += count;
      return out;
    },
    get exhausted() {
      return taken >= opts.limit;
    },
    get taken() {
      return taken;
    },
  };
}
