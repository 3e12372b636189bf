import { mulberry32 } from '../model';

/** Uniform in [0, 1), from the model's seedable PRNG: a seeded run also repeats its pauses. */
export function createRandom(seed: number = Math.floor(Math.random() * 2 ** 32)): () => number {
  const next = mulberry32(seed);
  return () => next() / 2 ** 32;
}
