/** Small order statistics for benchmark samples (a handful of runs, so plain sorting is fine). */

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear interpolation between closest ranks; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

export interface SampleSummary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarise(values: readonly number[]): SampleSummary {
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
    n: values.length,
  };
}

/**
 * Median of per-round ratios a[i]/b[i]: each round's two runs saw the same machine load, so the
 * ratio within a round is steadier than the ratio of two medians on a shared, noisy machine.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const ratios = a.map((x, i) => x / (b[i] ?? Number.NaN)).filter(Number.isFinite);
  return median(ratios);
}

/** Latency percentiles (ms) of raw samples. */
export function latencyPercentiles(samplesMs: readonly number[]): { p50: number; p99: number } {
  return { p50: quantile(samplesMs, 0.5), p99: quantile(samplesMs, 0.99) };
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
