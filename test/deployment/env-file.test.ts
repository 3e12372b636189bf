import { chown, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'dotenv';
import {
  formatEnvLine,
  removeEnvText,
  removeFromEnvFile,
  upsertEnvText,
  verifyEnv,
  writeEnvFile,
} from '../../deployment/env-file';

describe('formatEnvLine', () => {
  test('writes plain values bare and quotes the rest so dotenv reads them back unchanged', () => {
    const values = {
      API_URL: 'http://localstack:4566/_aws/execute-api/abc123/prod/events',
      API_KEY: 'AbCdEf0123456789xyzABCDEF0123456789',
      SPACED: 'a value # not a comment',
      QUOTED: "it's",
      EMPTY: '',
    };
    const text = Object.entries(values)
      .map(([k, v]) => formatEnvLine(k, v))
      .join('\n');
    expect(text.split('\n')[0]).toBe(`API_URL=${values.API_URL}`);
    expect(parse(text)).toEqual(values);
  });

  test('refuses what an env file cannot hold', () => {
    expect(() => formatEnvLine('API_KEY', 'a\nb')).toThrow(/line break/);
    expect(() => formatEnvLine('1BAD', 'x')).toThrow(/invalid environment variable name/);
    expect(() => formatEnvLine('K', `'"`)).toThrow(/both quote kinds/);
  });
});

describe('upsertEnvText', () => {
  test('replaces the keys in place and keeps everything else', () => {
    const before = '# mine\nFOO=1\nAPI_URL=http://old\nexport API_KEY=old\nBAR=2\n';
    const after = upsertEnvText(before, { API_URL: 'http://new', API_KEY: 'newkey' });
    expect(after).toBe('# mine\nFOO=1\nAPI_URL=http://new\nAPI_KEY=newkey\nBAR=2\n');
  });

  test('appends missing keys, also to an empty file', () => {
    expect(upsertEnvText('', { API_URL: 'u', API_KEY: 'k' })).toBe('API_URL=u\nAPI_KEY=k\n');
    expect(upsertEnvText('FOO=1', { API_KEY: 'k' })).toBe('FOO=1\nAPI_KEY=k\n');
  });
});

describe('removeEnvText', () => {
  test('drops the lines of the keys, export form included, and keeps the rest', () => {
    const before = '# mine\nFOO=1\nAPI_URL=http://old\nexport API_KEY=old\nBAR=2\n';
    expect(removeEnvText(before, ['API_URL', 'API_KEY'])).toBe('# mine\nFOO=1\nBAR=2\n');
    expect(removeEnvText('API_KEY=k\n', ['API_KEY'])).toBe('');
  });
});

describe('removeFromEnvFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-env-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('removes only when the condition holds for the current values; a missing file is no error', async () => {
    const file = path.join(dir, '.env');
    await expect(removeFromEnvFile(file, ['API_KEY'], () => true)).resolves.toEqual([]);
    await writeFile(file, "API_URL='http://a b'\nAPI_KEY=k\nX=1\n");
    await expect(
      removeFromEnvFile(file, ['API_URL', 'API_KEY'], (vars) => vars.API_URL === 'http://other'),
    ).resolves.toEqual([]);
    await expect(
      removeFromEnvFile(file, ['API_URL', 'API_KEY'], (vars) => vars.API_URL === 'http://a b'),
    ).resolves.toEqual(['API_URL', 'API_KEY']);
    expect(await readFile(file, 'utf8')).toBe('X=1\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('writeEnvFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-env-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('creates the file readable by its owner only, leaving no temp file', async () => {
    const file = path.join(dir, '.env');
    await writeEnvFile(file, { API_URL: 'http://x/prod/events', API_KEY: 'secret' });
    expect(parse(await readFile(file))).toEqual({
      API_URL: 'http://x/prod/events',
      API_KEY: 'secret',
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['.env']);
  });

  test('updates an existing file, keeping the user settings, with the mode asked for', async () => {
    const file = path.join(dir, 'pipeline.env');
    await writeFile(file, 'LOG_LEVEL=debug\nAPI_KEY=old\n');
    await writeEnvFile(file, { API_URL: 'http://y', API_KEY: 'new' }, 0o644);
    expect(parse(await readFile(file))).toEqual({
      LOG_LEVEL: 'debug',
      API_KEY: 'new',
      API_URL: 'http://y',
    });
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });

  // As root (a compose container writing the bind-mounted project's .env), the file must stay
  // readable by the user whose folder it is; as anyone else, it is theirs anyway.
  test("keeps the owner of the file it replaces, or takes the folder's, when written as root", async () => {
    const asRoot = process.getuid?.() === 0;
    const owner = asRoot ? 4321 : (process.getuid?.() ?? 0);
    if (asRoot) await chown(dir, owner, owner);
    const file = path.join(dir, '.env');
    await writeEnvFile(file, { API_KEY: 'k1' });
    expect((await stat(file)).uid).toBe(owner);
    if (asRoot) {
      await chown(file, 5678, 5678);
      await writeEnvFile(file, { API_KEY: 'k2' });
      expect((await stat(file)).uid).toBe(5678);
    }
    expect(parse(await readFile(file)).API_KEY).toBe(asRoot ? 'k2' : 'k1');
  });

  test('fails with the reason when the folder does not exist', async () => {
    await expect(writeEnvFile(path.join(dir, 'missing', '.env'), { A: 'b' })).rejects.toThrow(
      /ENOENT/,
    );
  });
});

describe('verifyEnv', () => {
  test('names the bucket and the S3 endpoint; none for AWS, and empty values clear old ones', () => {
    expect(verifyEnv({ bucket: 'b', s3: { endpoint: 'http://127.0.0.1:4566' } })).toEqual({
      PIPELINE_BUCKET: 'b',
      PIPELINE_S3_ENDPOINT: 'http://127.0.0.1:4566',
    });
    expect(verifyEnv({ bucket: 'b', s3: {} })).toEqual({
      PIPELINE_BUCKET: 'b',
      PIPELINE_S3_ENDPOINT: '',
    });
  });
});
