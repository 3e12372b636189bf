/**
 * mulberry32 (Tommy Ettinger, public domain): a tiny, well-known 32-bit PRNG. Good enough for
 * test data and seeded runs (the producer's pauses use it too); not for anything secret.
 * Returns uint32 values.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
