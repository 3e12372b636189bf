// `npm run dev` as the emulator image runs it (docker-compose.emulator.yml): on another interface,
// writing env files for readers that reach it under other names, stopped by SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';

const repoRoot = path.join(__dirname, '..', '..');
let dir: string;
let child: ChildProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dev-cli-'));
});
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await rm(dir, { recursive: true, force: true });
});

function startDev(args: string[]): Promise<{ stdout: string; exit: Promise<number | null> }> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'cli/dev.ts', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  const exit = new Promise<number | null>((resolve) => started.on('exit', resolve));
  let stdout = '';
  let stderr = '';
  started.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    started.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.includes('Ctrl+C stops')) resolve({ stdout, exit });
    });
    exit.then((code) => reject(new Error(`dev exited (${code}) before it was ready: ${stderr}`)));
  });
}

test('--host and --write-env: the producer file names the service, the host file the host port', async () => {
  const hostEnv = path.join(dir, 'host.env');
  await writeFile(hostEnv, 'LOCALSTACK_PORT=4566\n');
  const shared = path.join(dir, 'shared.env');
  const { stdout, exit } = await startDev([
    ...['--host', '0.0.0.0', '--port', '0', '--data-dir', path.join(dir, 'data'), '--no-watch'],
    ...['--dotenv', hostEnv, '--write-env', `${shared}=http://emulator:4566`],
    ...['--write-env', `${path.join(dir, 'project.env')}=http://127.0.0.1:14566`],
  ]);

  expect(stdout).toMatch(/^Ctrl\+C stops$/m);
  const apiId = JSON.parse(await readFile(path.join(dir, 'data', 'api-key.json'), 'utf8')).apiId;
  const s3Port = new URL(/S3 endpoint (\S+),/.exec(stdout)?.[1] ?? '').port;
  const sharedEnv = parse(await readFile(shared));
  expect(sharedEnv).toEqual({
    API_URL: `http://emulator:4566/_aws/execute-api/${apiId}/prod/events`,
    API_KEY: expect.stringMatching(/^[A-Za-z0-9]{40}$/),
    PIPELINE_BUCKET: 'push-pipeline-events',
    PIPELINE_S3_ENDPOINT: `http://emulator:${s3Port}`,
  });
  expect(parse(await readFile(path.join(dir, 'project.env')))).toMatchObject({
    API_URL: `http://127.0.0.1:14566/_aws/execute-api/${apiId}/prod/events`,
    PIPELINE_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
  });
  // Bound to every interface: the plain env file gets loopback, and no S3 target for verify.
  const plain = parse(await readFile(hostEnv));
  expect(plain).toMatchObject({ LOCALSTACK_PORT: '4566', PIPELINE_BUCKET: '' });
  expect(plain.API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod\/events$/);
  const answer = await fetch(plain.API_URL ?? '', { method: 'POST' });
  expect(answer.status).toBe(403);

  child?.kill('SIGTERM');
  expect(await exit).toBe(0);
}, 60_000);

test('--write-env without an origin is a usage error', async () => {
  await expect(startDev(['--write-env', path.join(dir, 'x.env')])).rejects.toThrow(
    /give it as <file>=<origin>/,
  );
}, 30_000);
