import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseArgv, parseCliArgs } from '../../producer/cli/argv';
import { UsageError } from '../../producer/cli/usage-error';

const env = { API_URL: 'http://127.0.0.1:3000/prod/events', API_KEY: 'env-key-0123456789abcdef' };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'producer-argv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const parse = (argv: string[], e: Record<string, string | undefined> = env, cwd = dir) =>
  parseCliArgs(argv, e, cwd);
function optionsOf(argv: string[], e?: Record<string, string | undefined>) {
  const r = parse(argv, e);
  if (r.kind !== 'run') throw new Error('expected a run');
  return r;
}
function usageError(
  argv: string[],
  e?: Record<string, string | undefined>,
  cwd?: string,
): UsageError {
  try {
    parse(argv, e, cwd);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('parseCliArgs', () => {
  test('no flags: only URL and key, defaults are left to runProducer', () => {
    const r = optionsOf([]);
    expect(r.options).toEqual({ apiUrl: env.API_URL, apiKey: env.API_KEY });
    expect(r.output).toEqual({ json: false, quiet: false });
  });

  test('every flag, double-dash', () => {
    const r = optionsOf([
      '--api-url',
      'http://h:1/prod',
      '--api-key',
      'flag-key',
      '--n-events',
      '50',
      '--n-workers',
      '5',
      '--min-delay',
      '0.5',
      '--max-delay',
      '2',
      '--rate',
      '20',
      '--duration',
      '30',
      '--batch-size',
      '10',
      '--seed',
      '42',
      '--timeout',
      '2500',
      '--max-retries',
      '3',
      '--report',
      'r.json',
      '--json',
      '--quiet',
    ]);
    expect(r.options).toEqual({
      apiUrl: 'http://h:1/prod',
      apiKey: 'flag-key',
      nEvents: 50,
      nWorkers: 5,
      minDelay: 0.5,
      maxDelay: 2,
      rate: 20,
      duration: 30,
      batchSize: 10,
      seed: 42,
      timeoutMs: 2500,
      maxRetries: 3,
      reportFile: 'r.json',
    });
    expect(r.output).toEqual({ json: true, quiet: true });
  });

  test('the original single-dash spellings', () => {
    const r = optionsOf([
      '-n-events',
      '50',
      '-n-workers',
      '5',
      '-max-delay',
      '2',
      '-api-key=k2',
      '-json',
    ]);
    expect(r.options).toMatchObject({ nEvents: 50, nWorkers: 5, maxDelay: 2, apiKey: 'k2' });
    expect(r.output.json).toBe(true);
  });

  test('--flag=value form and timeout units', () => {
    expect(optionsOf(['--n-events=7']).options.nEvents).toBe(7);
    expect(optionsOf(['--timeout', '10s']).options.timeoutMs).toBe(10_000);
    expect(optionsOf(['--timeout', '1.5s']).options.timeoutMs).toBe(1500);
    expect(optionsOf(['--timeout', '750ms']).options.timeoutMs).toBe(750);
  });

  test('flags beat the environment, the environment beats .env', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'producer-env-'));
    try {
      await writeFile(join(cwd, '.env'), 'API_URL=http://file:1/prod\nAPI_KEY=file-key\n');
      expect(parseCliArgs([], {}, cwd)).toMatchObject({
        options: { apiUrl: 'http://file:1/prod', apiKey: 'file-key' },
      });
      expect(parseCliArgs([], { API_KEY: 'env-key' }, cwd)).toMatchObject({
        options: { apiKey: 'env-key' },
      });
      expect(parseCliArgs(['--api-key', 'flag'], { API_KEY: 'env-key' }, cwd)).toMatchObject({
        options: { apiKey: 'flag' },
      });
      // An empty value (API_URL= from a copied .env.example) counts as unset.
      expect(parseCliArgs([], { API_URL: '', API_KEY: '' }, cwd)).toMatchObject({
        options: { apiKey: 'file-key' },
      });
      await writeFile(join(cwd, 'other.env'), 'API_URL=http://other:2/prod\nAPI_KEY=other-key\n');
      expect(parseCliArgs(['--dotenv', 'other.env'], {}, cwd)).toMatchObject({
        options: { apiUrl: 'http://other:2/prod', apiKey: 'other-key' },
      });
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  test('--help is not an error', () => {
    const r = parse(['--help']);
    expect(r).toMatchObject({ kind: 'exit', code: 0 });
    expect(r.kind === 'exit' && r.stdout).toMatch(
      /--n-events <n>[\s\S]*--timeout <ms>\s+per-request timeout in milliseconds/,
    );
  });
});

describe('usage errors name the flag (exit code 2)', () => {
  test.each([
    [['--n-events', '0'], '--n-events', /--n-events must be at least 1 \(got 0\)/],
    [['--n-events', '1.5'], '--n-events', /--n-events.*whole number/],
    [['--n-events', 'abc'], '--n-events', /'--n-events <n>' argument 'abc' is invalid/],
    [['--n-workers', '0'], '--n-workers', /--n-workers must be at least 1/],
    [['--n-workers', '5000'], '--n-workers', /--n-workers must be at most 1000/],
    [['--min-delay', '-1'], '--min-delay', /--min-delay must be 0 or more/],
    [['--max-delay', 'x'], '--max-delay', /'--max-delay <s>' argument 'x' is invalid/],
    [
      ['--min-delay', '3', '--max-delay', '2'],
      '--min-delay',
      /--min-delay \(3\) must not exceed --max-delay \(2\)/,
    ],
    [
      ['--min-delay', '1', '--max-delay', '0'],
      '--min-delay',
      /--min-delay \(1\) conflicts with --max-delay 0/,
    ],
    [['--rate', '0'], '--rate', /--rate must be more than 0/],
    [['--duration', '-5'], '--duration', /--duration must be more than 0/],
    [['--batch-size', '501'], '--batch-size', /--batch-size must be at most 500/],
    [['--batch-size', '0'], '--batch-size', /--batch-size must be at least 1/],
    [['--seed', '-1'], '--seed', /--seed must be at least 0/],
    [['--timeout', 'soon'], '--timeout', /'--timeout <ms>' argument 'soon' is invalid/],
    [['--timeout', '0'], '--timeout', /--timeout must be at least 1/],
    [['--max-retries', '-1'], '--max-retries', /--max-retries must be at least 0/],
    [['--api-url', 'ftp://x/prod'], '--api-url', /--api-url must be an http\(s\) URL/],
    [['--api-url', 'not a url'], '--api-url', /--api-url must be an http\(s\) URL/],
    [['--n-evnts', '3'], '--n-evnts', /unknown option '--n-evnts'[\s\S]*--n-events/],
    [['--n-events'], '--n-events', /option '--n-events <n>' argument missing/],
    [['--dotenv', 'missing.env'], '--dotenv', /--dotenv: cannot read .*missing\.env/],
  ])('%j', (argv, flag, message) => {
    const err = usageError(argv);
    expect(err.exitCode).toBe(2);
    expect(err.flag).toBe(flag);
    expect(err.message).toMatch(message);
  });

  test('missing API URL says how to get one', () => {
    const err = usageError([], { API_KEY: 'k' });
    expect(err.flag).toBe('--api-url');
    expect(err.message).toMatch(/pass --api-url, set API_URL .*npm run dev/);
  });

  test('missing API key says how to get one', () => {
    const err = usageError([], { API_URL: 'http://h/prod' });
    expect(err.flag).toBe('--api-key');
    expect(err.message).toMatch(/pass --api-key, set API_KEY .*npm run dev/);
  });

  test('the key is never echoed in an error', () => {
    const err = usageError(['--api-key', '', '--api-url', 'http://h/prod'], {});
    expect(err.flag).toBe('--api-key');
    const bad = usageError(['--api-key', 'secret-key-0123456789', '--n-events', '0'], {});
    expect(bad.message).not.toContain('secret-key-0123456789');
  });
});

describe('normaliseArgv', () => {
  const flags = new Set(['--n-events', '--max-delay']);
  test('rewrites only single-dash words naming a long flag, and nothing after --', () => {
    expect(
      normaliseArgv(
        ['-n-events', '5', '-max-delay=2', '-h', '-5', '-x-y', '--', '-n-events'],
        flags,
      ),
    ).toEqual(['--n-events', '5', '--max-delay=2', '-h', '-5', '-x-y', '--', '-n-events']);
  });
});
