/**
 * Runs variants in alternating rounds (A,B,C / B,C,A / C,A,B ...) so slow drifts of a shared
 * 2-core machine hit every variant alike; returns each variant's samples in round order.
 */
export async function interleave<K extends string, T>(
  variants: Readonly<Record<K, () => Promise<T>>>,
  rounds: number,
  onRun?: (name: K, round: number, result: T) => void,
): Promise<Record<K, T[]>> {
  const names = Object.keys(variants) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as T[]])) as Record<K, T[]>;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length] as K;
      const result = await variants[name]();
      out[name].push(result);
      onRun?.(name, round, result);
    }
  }
  return out;
}
