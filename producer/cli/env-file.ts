import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { UsageError } from './usage-error';

/**
 * Reads API_URL / API_KEY from a .env file without touching process.env: the explicit file (which
 * must exist), else ./.env when present (`npm run dev` writes it), else nothing.
 */
export function readEnvFile(explicit: string | undefined, cwd: string): Record<string, string> {
  const path = resolve(cwd, explicit ?? '.env');
  if (explicit === undefined && !existsSync(path)) return {};
  try {
    return parse(readFileSync(path));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UsageError(
      `--dotenv: cannot read ${path} (${why}); pass an existing file or leave the flag out`,
      '--dotenv',
    );
  }
}
