import { InvalidArgumentError } from 'commander';

/** Strict: "12abc", "" and "0x10" are refused (Number.parseFloat would take "12abc" as 12). */
export function parseNumber(value: string): number {
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
}

export function parseInteger(value: string): number {
  const n = parseNumber(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number.');
  return n;
}

/** Milliseconds: a bare number is ms; "500ms" and "10s" / "1.5s" say their unit. */
export function parseDurationMs(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/i.exec(value);
  if (!m?.[1]) throw new InvalidArgumentError('expected milliseconds, e.g. 10000, 500ms or 10s.');
  const ms = Number(m[1]) * (m[2]?.toLowerCase() === 's' ? 1000 : 1);
  return Math.round(ms);
}
