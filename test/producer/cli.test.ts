/** @slow the CLI as real processes, signals included */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../deployment/repo-root';
import type { ProducerSummary } from '../../producer';
import { contractReplies, type LocalServer, startLocalServer } from './support/local-server';
import { bundleCliAsImage, cleanEnv, startCli, waitFor } from './support/run-cli';

// Child processes: about a second each on a shared machine, more through tsx.
jest.setTimeout(30_000);

const apiKey = 'cli-secret-key-0123456789-wxyz';
let server: LocalServer | undefined;
let dir: string;
let bundleDir: string;
let bundle: string;
beforeAll(async () => {
  bundleDir = await mkdtemp(join(tmpdir(), 'producer-cli-bundle-'));
  bundle = await bundleCliAsImage(bundleDir);
});
afterAll(() => rm(bundleDir, { recursive: true, force: true }));
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'producer-cli-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

const balanced = (s: ProducerSummary) => expect(s.sent).toBe(s.acked + s.failed + s.aborted);

// `npm run producer` runs the tsx binary on the CLI's source: these two run it the same way.
const tsxBin = join(repoRoot, 'node_modules', '.bin', 'tsx');

test("a --dotenv file that is missing is the CLI's own usage error (Node does not claim the flag)", async () => {
  const run = promisify(execFile)(
    tsxBin,
    ['producer/cli/main.ts', '--dotenv', join(dir, 'no-such.env')],
    { cwd: repoRoot, env: cleanEnv() },
  );
  await expect(run).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/--dotenv: cannot read .*no-such\.env/),
  });
});

test('usage error through tsx, as npm run producer: exit 2, names --api-url and how to fix it', async () => {
  const empty = join(dir, 'empty.env');
  await writeFile(empty, '');
  const run = promisify(execFile)(tsxBin, ['producer/cli/main.ts', '--dotenv', empty], {
    cwd: repoRoot,
    env: cleanEnv(),
  });
  await expect(run).rejects.toMatchObject({
    code: 2,
    stdout: '',
    stderr: expect.stringMatching(/missing API URL: pass --api-url, set API_URL.*npm run dev/),
  });
});

test('--json with single-dash flags: one JSON object on stdout, plain progress on stderr, key masked, exit 0', async () => {
  server = await startLocalServer(contractReplies());
  const cli = startCli(bundle, ['-n-events', '5', '-n-workers', '2', '-max-delay', '0', '--json'], {
    cwd: dir,
    env: cleanEnv({ API_URL: `${server.url}/prod`, API_KEY: apiKey }),
  });
  const { code } = await cli.exited;
  expect(code).toBe(0);
  const summary = JSON.parse(cli.stdout()) as ProducerSummary;
  expect(cli.stdout().trim().split('\n')).toHaveLength(1);
  expect(summary).toMatchObject({
    sent: 5,
    acked: 5,
    failed: 0,
    aborted: 0,
    apiUrl: `${server.url}/prod/events`,
  });
  expect(server.received).toHaveLength(5);
  // Not a TTY: plain lines, no bar, no escape codes.
  expect(cli.stderr()).toMatch(
    /^producer \d+\.\ds sent 5\/5 acked 5 failed 0 aborted 0 retries 0 in-flight 0 .* done$/m,
  );
  expect(cli.stderr()).not.toContain('\u001b'); // no escape codes
  expect(cli.stderr()).not.toContain('\r');
  expect(cli.stderr()).toContain('(key cli-…wxyz)');
  expect(cli.stdout() + cli.stderr()).not.toContain(apiKey);
});

test('failures: table on stdout with reasons and a hint, exit 1; key masked in output and report', async () => {
  server = await startLocalServer(() => ({ status: 403, body: { message: 'Forbidden' } }));
  await writeFile(join(dir, '.env'), `API_URL=${server.url}/prod/events\nAPI_KEY=${apiKey}\n`);
  const cli = startCli(
    bundle,
    ['--n-events', '2', '--max-delay', '0', '--report', 'out/report.json'],
    {
      cwd: dir,
    },
  );
  const { code } = await cli.exited;
  expect(code).toBe(1);
  const out = cli.stdout();
  expect(out).toMatch(/Done, with failures/);
  expect(out).toMatch(/failed\s+2/);
  expect(out).toMatch(/2\s+403 Forbidden/);
  expect(out).toMatch(/hint: 403 Forbidden: the API key is wrong/);
  expect(out).toContain('cli-…wxyz');
  const report = await readFile(join(dir, 'out', 'report.json'), 'utf8');
  expect(JSON.parse(report)).toMatchObject({
    apiKey: 'cli-…wxyz',
    summary: { sent: 2, failed: 2 },
  });
  expect(out + cli.stderr() + report).not.toContain(apiKey);
});

test('Ctrl+C: stops producing, waits for requests in flight, prints the summary, exit 130', async () => {
  server = await startLocalServer(() => ({
    status: 200,
    body: { accepted: 1, duplicates: 0, keys: [] },
    delayMs: 1500,
  }));
  const cli = startCli(
    bundle,
    [
      '--api-url',
      server.url,
      '--api-key',
      apiKey,
      '--n-events',
      '50',
      '--n-workers',
      '2',
      '--max-delay',
      '0',
      '--json',
    ],
    { cwd: dir },
  );
  await waitFor(() => (server?.received.length ?? 0) >= 2, 'two requests');
  cli.child.kill('SIGINT');
  const { code } = await cli.exited;
  expect(code).toBe(130);
  expect(cli.stderr()).toMatch(/stopping; waiting up to 10 s for requests in flight/);
  const summary = JSON.parse(cli.stdout()) as ProducerSummary;
  expect(summary.stoppedBy).toBe('signal');
  expect(summary.sent).toBeGreaterThanOrEqual(2);
  expect(summary.sent).toBeLessThan(50);
  balanced(summary);
  expect(summary.acked).toBe(server.received.length); // in-flight requests were answered, not dropped
});

test('a second Ctrl+C exits at once, without the summary', async () => {
  server = await startLocalServer(() => ({ status: 200, hang: true }));
  const cli = startCli(
    bundle,
    ['--api-url', server.url, '--api-key', apiKey, '--timeout', '60s', '--json'],
    { cwd: dir },
  );
  await waitFor(() => (server?.received.length ?? 0) >= 1, 'a request');
  cli.child.kill('SIGINT');
  await waitFor(() => cli.stderr().includes('stopping'), 'the stopping notice');
  // A human's second press comes later than the copy of the first that npm/tsx relay.
  await new Promise((resolve) => setTimeout(resolve, 400));
  cli.child.kill('SIGINT');
  const { code } = await cli.exited;
  expect(code).toBe(130);
  expect(cli.stdout()).toBe('');
  expect(cli.stderr()).toMatch(/producer: SIGINT again, exiting without a clean stop/);
});

test('SIGTERM stops cleanly too, and exits 143', async () => {
  server = await startLocalServer(() => ({ status: 200 }));
  const cli = startCli(
    bundle,
    ['--api-url', server.url, '--api-key', apiKey, '--n-events', '100000', '--max-delay', '0'],
    { cwd: dir },
  );
  await waitFor(() => (server?.received.length ?? 0) >= 1, 'a request');
  cli.child.kill('SIGTERM');
  const { code } = await cli.exited;
  expect(code).toBe(143);
  expect(cli.stderr()).toMatch(/stopping; waiting up to 10 s for requests in flight/);
});

test('one Ctrl+C delivered twice at once (terminal and wrapper) still stops cleanly', async () => {
  server = await startLocalServer(() => ({ status: 200 }));
  const cli = startCli(
    bundle,
    [
      '--api-url',
      server.url,
      '--api-key',
      apiKey,
      '--n-events',
      '100000',
      '--max-delay',
      '0',
      '--json',
    ],
    { cwd: dir },
  );
  await waitFor(() => (server?.received.length ?? 0) >= 1, 'a request');
  cli.child.kill('SIGINT');
  cli.child.kill('SIGINT');
  const { code } = await cli.exited;
  expect(code).toBe(130);
  expect(cli.stderr()).not.toMatch(/SIGINT again/);
  const summary = JSON.parse(cli.stdout()) as ProducerSummary;
  expect(summary.stoppedBy).toBe('signal');
  balanced(summary);
});
