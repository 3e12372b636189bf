/** @slow pipelines, DuckDB, and the CLI as a process */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runQueryCli } from '../../cli/query';
import { createReadingGenerator, type Reading } from '../../model';
import { runProducer } from '../../producer';
import { startTestPipeline, type TestPipeline } from '../emulator/helpers';
import { type FakeAthena, startFakeAthena } from '../query/support/athena-server';

jest.setTimeout(60_000);

const repoRoot = path.join(__dirname, '..', '..');
const mainTs = path.join(repoRoot, 'cli', 'query.ts');
const tsxLoader = pathToFileURL(require.resolve('tsx', { paths: [repoRoot] })).href;

/** The environment without the user's target settings. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const {
    PIPELINE_TARGET: _t,
    AWS_ENDPOINT_URL: _e,
    AWS_REGION: _r,
    AWS_DEFAULT_REGION: _d,
    STACK_NAME: _s,
    AWS_PROFILE: _p,
    ...rest
  } = process.env;
  return { ...rest, NO_COLOR: '1', ...extra };
}

/** The CLI in this process (most cases: a process start costs seconds on a busy machine). */
async function runQuery(
  args: string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runQueryCli(args, env, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

/** `npm run query`'s own process: exit code and streams as a shell sees them. */
function spawnQuery(
  args: string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, mainTs, ...args], {
      cwd: scratch,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let scratch: string;
let t: TestPipeline;
let athena: FakeAthena;
const readings: Reading[] = (() => {
  const next = createReadingGenerator({ seed: 11 });
  return [
    { ...next(), temperature: 12.5 },
    { ...next(), temperature: 15 },
    { ...next(), temperature: 25.25 },
  ];
})();

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'query-cli-'));
  [t, athena] = await Promise.all([startTestPipeline(), startFakeAthena()]);
  const summary = await runProducer({
    apiUrl: t.pipeline.apiUrl,
    apiKey: t.pipeline.apiKey,
    readings,
    batchSize: 3,
    maxDelay: 0,
  });
  expect(summary.acked).toBe(3);
});
afterAll(async () => {
  await Promise.all([t?.dispose(), athena?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

const groupSql =
  'SELECT temp_group, count(*) AS n, avg(temperature) AS avg_c FROM push_pipeline.events GROUP BY 1 ORDER BY 1';

describe('embedded target', () => {
  const dataDir = () => ['--data-dir', t.pipeline.dataDir];

  it('prints an aligned table with the row count', async () => {
    const { code, stdout, stderr } = await spawnQuery([...dataDir(), groupSql]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      [
        'temp_group  n  avg_c',
        '----------  -  -----',
        'A           2  13.75',
        'B           1  25.25',
        '(2 rows)',
        '',
      ].join('\n'),
    );
  });

  it('--json prints one object per row, --csv a header and rows', async () => {
    const json = await runQuery([...dataDir(), '--json', groupSql]);
    expect(json.code).toBe(0);
    expect(
      json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { temp_group: 'A', n: 2, avg_c: 13.75 },
      { temp_group: 'B', n: 1, avg_c: 25.25 },
    ]);
    const csv = await runQuery([...dataDir(), '--csv', groupSql]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('temp_group,n,avg_c\r\nA,2,13.75\r\nB,1,25.25\r\n');
  });

  it('--file reads the query from a file', async () => {
    const file = path.join(scratch, 'q.sql');
    await writeFile(file, 'SELECT count(*) AS n\nFROM events\n');
    const { code, stdout } = await runQuery([...dataDir(), '--json', '--file', file]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ n: 3 });
  });

  it.each([
    ['an unknown column', ['SELECT nope FROM events'], /Referenced column "nope" not found/],
    ['bad SQL', ['SELEC 1'], /syntax error/],
    ['an unknown table', ['SELECT * FROM push_pipeline.nope'], /nope does not exist/],
  ])('%s: exit 2 with the reason and no stack', async (_name, args, message) => {
    const { code, stdout, stderr } = await runQuery([...dataDir(), ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('usage errors: exit 2, one message, no stack', () => {
  it.each([
    ['no SQL', [], {}, /no SQL given/],
    ['an unknown flag', ['--bogus', 'SELECT 1'], {}, /unknown option '--bogus'/],
    ['--json with --csv', ['--json', '--csv', 'SELECT 1'], {}, /cannot be used with/],
    [
      'an unknown target',
      ['--target', 'mars', 'SELECT 1'],
      {},
      /Allowed choices are embedded, endpoint, aws/,
    ],
    [
      'PIPELINE_TARGET=localstack',
      ['SELECT 1'],
      { PIPELINE_TARGET: 'localstack' },
      /--target endpoint/,
    ],
    ['SQL and --file', ['--file', 'q.sql', 'SELECT 1'], {}, /not both/],
    ['a missing --file', ['--file', '/nope.sql'], {}, /cannot read --file \/nope.sql/],
    [
      'no emulator data',
      ['--data-dir', '/nothing-here', 'SELECT 1'],
      {},
      /no embedded pipeline data at .*npm start/,
    ],
    ['endpoint without a URL', ['--target', 'endpoint', 'SELECT 1'], {}, /AWS_ENDPOINT_URL/],
    ['aws without a region', ['--target', 'aws', 'SELECT 1'], {}, /--region or AWS_REGION/],
    [
      'an endpoint with nothing listening',
      ['--target', 'endpoint', '--endpoint', 'http://127.0.0.1:9', 'SELECT 1'],
      {},
      /cannot read stack PushPipeline at http:\/\/127.0.0.1:9/,
    ],
  ])('%s', async (_name, args, env, message) => {
    const { code, stderr } = await runQuery(args, cleanEnv(env));
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  });
});

describe('the process', () => {
  it('exits 2 on bad SQL and on a usage error, with one line and no stack', async () => {
    const [sql, usage] = await Promise.all([
      spawnQuery(['--data-dir', t.pipeline.dataDir, 'SELECT nope FROM events']),
      spawnQuery(['--json', '--csv', 'SELECT 1']),
    ]);
    expect(sql.code).toBe(2);
    expect(sql.stderr).toMatch(/^query: Binder Error: Referenced column "nope" not found/);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^query: option '--json' cannot be used with option '--csv'/);
    for (const run of [sql, usage]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('aws target (Athena through a local server speaking its protocol)', () => {
  const env = () =>
    cleanEnv({
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_ATHENA: athena.url,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      STACK_NAME: 'DevStack',
    });

  it("runs the SQL in the stack's workgroup and database and prints the rows", async () => {
    athena.requests.length = 0;
    athena.plan = () => ({
      states: ['RUNNING', 'SUCCEEDED'],
      columns: [
        { name: 'temp_group', type: 'varchar' },
        { name: 'n', type: 'bigint' },
      ],
      rows: [
        ['A', '2'],
        ['B', '1'],
      ],
    });
    const { code, stdout, stderr } = await spawnQuery(
      ['--target', 'aws', '--json', groupSql],
      env(),
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('{"temp_group":"A","n":2}\n{"temp_group":"B","n":1}\n');
    expect(athena.requests[0]?.body).toMatchObject({
      QueryString: groupSql,
      WorkGroup: 'DevStack-queries',
      QueryExecutionContext: { Database: 'dev_stack' },
    });
  });

  it('a query Athena fails for the user exits 2 with its reason', async () => {
    athena.plan = () => ({
      states: ['FAILED'],
      error: { category: 2, message: "COLUMN_NOT_FOUND: Column 'nope' cannot be resolved" },
    });
    const { code, stderr } = await spawnQuery(
      ['--target', 'aws', 'SELECT nope FROM events'],
      env(),
    );
    expect(code).toBe(2);
    expect(stderr).toBe("query: Athena: COLUMN_NOT_FOUND: Column 'nope' cannot be resolved\n");
  });
});
