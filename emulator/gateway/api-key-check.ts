import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a presented key with the real one in constant time (digests make lengths equal). */
export function apiKeyMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
