import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateApiIdentity } from '../../emulator/api-key';

describe('the emulator API key', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'api-key-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is generated once per data directory and then reused', async () => {
    const file = path.join(dir, 'api-key.json');
    const first = await loadOrCreateApiIdentity(file);
    expect(first.apiKey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(first.apiKeyId).toMatch(/^[a-z0-9]{10}$/);
    expect(await loadOrCreateApiIdentity(file)).toEqual(first);
  });

  it('can be given for one run without changing the stored one', async () => {
    const file = path.join(dir, 'api-key.json');
    const stored = await loadOrCreateApiIdentity(file);
    expect((await loadOrCreateApiIdentity(file, 'given-key-value-123456')).apiKey).toBe(
      'given-key-value-123456',
    );
    expect(await loadOrCreateApiIdentity(file)).toEqual(stored);
  });

  it('says what to do when the file is damaged', async () => {
    const file = path.join(dir, 'api-key.json');
    await writeFile(file, '{not json');
    await expect(loadOrCreateApiIdentity(file)).rejects.toThrow(/delete it/);
  });
});
