/** @slow the CLI as a process, against a pipeline */
// `npm run verify` as a user runs it: exit 0 pass, 1 a problem found, 2 cannot run.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../deployment/repo-root';
import { EmbeddedPipeline, type StartedPipeline, silentLogger } from '../../emulator';
import { runProducer } from '../../producer';

const run = (args: string[]) => runEnv(args, process.env);
const runEnv = async (args: string[], env: NodeJS.ProcessEnv) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'cli/verify.ts', ...args],
      { cwd: repoRoot, env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'verify-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('exits 2 on a usage error, naming the missing flag', async () => {
  const { code, stderr } = await run([]);
  expect(code).toBe(2);
  expect(stderr).toMatch(/--report <file>/);
}, 30_000);

it('exits 2 when there is no embedded data to check, saying what to run', async () => {
  const report = path.join(dir, 'report.json');
  await writeFile(report, JSON.stringify({ readings: [] }));
  const { code, stderr } = await run(['--report', report, '--data-dir', path.join(dir, 'none')]);
  expect(code).toBe(2);
  expect(stderr).toMatch(/no embedded pipeline data in .*run npm start or npm run dev first/);
}, 30_000);

describe('the target from PIPELINE_BUCKET / PIPELINE_S3_ENDPOINT (what docker compose up writes)', () => {
  let pipeline: StartedPipeline;
  let pipelineDir: string;
  let report: string;
  const runWith = (args: string[], env: Record<string, string>) =>
    runEnv(args, { ...process.env, ...env });

  beforeAll(async () => {
    pipelineDir = await mkdtemp(path.join(os.tmpdir(), 'verify-cli-target-'));
    pipeline = await new EmbeddedPipeline({ dataDir: pipelineDir, logger: silentLogger }).start();
    report = path.join(pipelineDir, 'report.json');
    const summary = await runProducer({
      apiUrl: pipeline.apiUrl,
      apiKey: pipeline.apiKey,
      nEvents: 6,
      nWorkers: 2,
      minDelay: 0,
      maxDelay: 0,
      reportFile: report,
    });
    expect(summary.acked).toBe(6);
  }, 60_000);

  afterAll(async () => {
    await pipeline?.stop();
    await rm(pipelineDir, { recursive: true, force: true });
  });

  it('checks that bucket at that endpoint with no flags but --report', async () => {
    const { code, stdout } = await runWith(['--report', report], {
      PIPELINE_BUCKET: pipeline.bucket,
      PIPELINE_S3_ENDPOINT: pipeline.s3.endpoint,
    });
    expect({ code, stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/^OK: 6\/6/) });
  }, 30_000);

  it('an explicit --data-dir wins over them', async () => {
    const { code, stderr } = await runWith(
      ['--report', report, '--data-dir', path.join(pipelineDir, 'none')],
      { PIPELINE_BUCKET: pipeline.bucket, PIPELINE_S3_ENDPOINT: pipeline.s3.endpoint },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/no embedded pipeline data/);
  }, 30_000);
});
