import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setEnvLines, updateEnvFile } from '../../emulator/cli/env-file';

describe('.env updates (npm run dev)', () => {
  it('replaces API_URL/API_KEY, keeps other lines, appends what is missing', () => {
    const before = '# mine\nAPI_URL=http://old\nexport OTHER=1\nAPI_KEY_EXTRA=x\n';
    expect(setEnvLines(before, { API_URL: 'http://new', API_KEY: 'k' })).toBe(
      '# mine\nAPI_URL=http://new\nexport OTHER=1\nAPI_KEY_EXTRA=x\nAPI_KEY=k\n',
    );
  });

  it('creates the file when missing and updates it in place', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'env-file-'));
    try {
      const file = path.join(dir, '.env');
      await updateEnvFile(file, { API_URL: 'a', API_KEY: 'b' });
      await writeFile(file, `${await readFile(file, 'utf8')}KEEP=me\n`);
      await updateEnvFile(file, { API_URL: 'c', API_KEY: 'd' });
      expect(await readFile(file, 'utf8')).toBe('API_URL=c\nAPI_KEY=d\nKEEP=me\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
