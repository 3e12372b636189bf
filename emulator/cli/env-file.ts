import { readFile, rename, writeFile } from 'node:fs/promises';
import { errorCode } from '../error-code';

/**
 * Sets `NAME=value` lines in .env text: replaces existing assignments (also `export NAME=`),
 * appends missing ones, and leaves every other line (comments, other variables) as it was.
 */
export function setEnvLines(text: string, values: Record<string, string>): string {
  const pending = new Map(Object.entries(values));
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const updated = lines.map((line) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    const name = match?.[1];
    if (name === undefined || !pending.has(name)) return line;
    const value = pending.get(name) ?? '';
    pending.delete(name);
    return `${name}=${value}`;
  });
  for (const [name, value] of pending) updated.push(`${name}=${value}`);
  return `${updated.join('\n')}\n`;
}

/** Updates (or creates) an env file in place; written then renamed, so readers never see half. */
export async function updateEnvFile(file: string, values: Record<string, string>): Promise<void> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, setEnvLines(text, values), { mode: 0o600 });
  await rename(temp, file);
}
