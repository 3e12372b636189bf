import { randomUUID } from 'node:crypto';
import { chown, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'dotenv';
import type { PipelineTarget } from './target';

/** The variables the producer reads (its --dotenv file and environment) to reach a target. */
export function producerEnv(target: Pick<PipelineTarget, 'apiUrl' | 'apiKey'>): {
  API_URL: string;
  API_KEY: string;
} {
  return { API_URL: target.apiUrl, API_KEY: target.apiKey };
}

/**
 * The variables `npm run verify` reads to find a target's bucket without flags. Empty values clear
 * what an earlier deploy wrote (verify then checks the embedded data directory).
 */
export function verifyEnv(target: { bucket: string; s3: { readonly endpoint?: string } }): {
  PIPELINE_BUCKET: string;
  PIPELINE_S3_ENDPOINT: string;
} {
  return { PIPELINE_BUCKET: target.bucket, PIPELINE_S3_ENDPOINT: target.s3.endpoint ?? '' };
}

const safeBare = /^[A-Za-z0-9_./:@%+,=-]*$/;
const keyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One `KEY=value` line that dotenv reads back unchanged. */
export function formatEnvLine(key: string, value: string): string {
  if (!keyPattern.test(key)) throw new Error(`invalid environment variable name: ${key}`);
  if (/[\r\n]/.test(value))
    throw new Error(`${key} contains a line break; env files cannot hold it`);
  if (safeBare.test(value)) return `${key}=${value}`;
  // Single quotes are literal in dotenv; double quotes would expand \n.
  if (!value.includes("'")) return `${key}='${value}'`;
  if (!value.includes('"') && !value.includes('\\')) return `${key}="${value}"`;
  throw new Error(`${key} holds both quote kinds; env files cannot hold it unambiguously`);
}

/**
 * Sets the given variables in env-file text: lines for those keys are replaced in place, others
 * (comments, the user's own settings) are kept, and missing keys are appended.
 */
export function upsertEnvText(existing: string, vars: Readonly<Record<string, string>>): string {
  const pending = new Map(Object.entries(vars));
  const lines = existing === '' ? [] : existing.replace(/\r?\n$/, '').split(/\r?\n/);
  const updated = lines.map((line) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    const key = match?.[1];
    if (key === undefined || !pending.has(key)) return line;
    const value = pending.get(key) ?? '';
    pending.delete(key);
    return formatEnvLine(key, value);
  });
  for (const [key, value] of pending) updated.push(formatEnvLine(key, value));
  return `${updated.join('\n')}\n`;
}

/** Drops the lines that set the given keys; comments and every other line are kept. */
export function removeEnvText(existing: string, keys: readonly string[]): string {
  const drop = new Set(keys);
  const lines = existing === '' ? [] : existing.replace(/\r?\n$/, '').split(/\r?\n/);
  const kept = lines.filter((line) => {
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    return key === undefined || !drop.has(key);
  });
  return kept.length === 0 ? '' : `${kept.join('\n')}\n`;
}

async function readEnvText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return '';
  }
}

/**
 * Replaces the file atomically (temp file + rename, so a reader never sees half a file). Written as
 * root (a container writing into a bind-mounted project), the file keeps the owner of the file it
 * replaces, or takes the directory's: the user whose .env it is can still read it.
 */
async function replaceFile(file: string, text: string, mode: number): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, text, { mode });
    if (process.getuid?.() === 0) {
      const owner = await stat(file).catch(() => stat(path.dirname(file)));
      await chown(temp, owner.uid, owner.gid);
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes the variables into an env file (created if missing), atomically, by default readable by
 * the owner only: it holds the API key.
 */
export async function writeEnvFile(
  file: string,
  vars: Readonly<Record<string, string>>,
  mode = 0o600,
): Promise<void> {
  await replaceFile(file, upsertEnvText(await readEnvText(file), vars), mode);
}

/**
 * Removes the lines setting `keys` from an env file when `applies` holds for its current
 * variables (e.g. they point at an API just deleted). Returns the keys removed.
 */
export async function removeFromEnvFile(
  file: string,
  keys: readonly string[],
  applies: (vars: Readonly<Record<string, string>>) => boolean,
  mode = 0o600,
): Promise<string[]> {
  const existing = await readEnvText(file);
  const vars = parse(existing);
  const present = keys.filter((key) => key in vars);
  if (present.length === 0 || !applies(vars)) return [];
  await replaceFile(file, removeEnvText(existing, present), mode);
  return present;
}
