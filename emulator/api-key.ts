import { randomInt } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { errorCode } from '../model/error-code';

/** The emulator's single API key (a usage plan with one key), and the REST API id it belongs to. */
export const apiIdentitySchema = z.object({
  apiId: z.string().regex(/^[a-z0-9]{10}$/),
  apiKeyId: z.string().regex(/^[a-z0-9]{10}$/),
  apiKey: z.string().min(20),
});
export type ApiIdentity = z.infer<typeof apiIdentitySchema>;

const lowerAlnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
const alnum = `ABCDEFGHIJKLMNOPQRSTUVWXYZ${lowerAlnum}`;

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Same forms as API Gateway: 10-character ids, a 40-character key value. */
export function generateApiIdentity(): ApiIdentity {
  return {
    apiId: randomString(lowerAlnum, 10),
    apiKeyId: randomString(lowerAlnum, 10),
    apiKey: randomString(alnum, 40),
  };
}

/**
 * Reads the identity persisted in the data directory, or creates it once: a `.env` written by an
 * earlier run keeps working. `apiKey` overrides the stored value for this run only.
 */
export async function loadOrCreateApiIdentity(file: string, apiKey?: string): Promise<ApiIdentity> {
  const stored = await readStored(file);
  let identity: ApiIdentity;
  if (stored === undefined) {
    identity = generateApiIdentity();
    await mkdir(path.dirname(file), { recursive: true });
    // Written then renamed, so a crash never leaves half a key behind.
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
  } else {
    const parsed = apiIdentitySchema.safeParse(parseJson(stored));
    if (!parsed.success) {
      throw new Error(`${file} is not a valid API identity; delete it to generate a new API key`);
    }
    identity = parsed.data;
  }
  return apiKey === undefined ? identity : { ...identity, apiKey };
}

async function readStored(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
