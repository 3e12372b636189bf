import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../deployment/repo-root';
import { cdkBinary, contextArgs, deployArgs, runCdk } from '../../infra/deploy/cdk-command';

test('deploy arguments: stack, outputs file, readable progress, context, approval on request', () => {
  expect(
    deployArgs({
      stackName: 'PushPipeline',
      outputsFile: '/tmp/o.json',
      context: { environmentKind: 'local', stackName: 'PushPipeline' },
      approve: true,
      extra: ['--profile', 'dev'],
    }),
  ).toEqual([
    'deploy',
    'PushPipeline',
    '--outputs-file',
    '/tmp/o.json',
    '--progress',
    'events',
    '--require-approval',
    'never',
    '-c',
    'environmentKind=local',
    '-c',
    'stackName=PushPipeline',
    '--profile',
    'dev',
  ]);
  expect(deployArgs({ stackName: 'S', outputsFile: 'o' })).not.toContain('--require-approval');
  expect(contextArgs({})).toEqual([]);
});

test('the pinned CLIs are the repository ones: aws-cdk 2.x (never 3.0.0) and aws-cdk-local', () => {
  expect(existsSync(cdkBinary('cdk'))).toBe(true);
  expect(existsSync(cdkBinary('cdklocal'))).toBe(true);
  const version = (pkg: string): string =>
    JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8'))
      .version;
  expect(version('aws-cdk')).toMatch(/^2\./);
  expect(version('aws-cdk-local')).toMatch(/^3\./);
});

test('cdk.json runs the app with tsx, offline, without the account-level API Gateway role', () => {
  const cdkJson = JSON.parse(readFileSync(path.join(repoRoot, 'cdk.json'), 'utf8'));
  expect(cdkJson.app).toBe('npx tsx infra/app.ts');
  expect(cdkJson.notices).toBe(false);
  expect(cdkJson['cli-telemetry']).toBe(false);
  expect(cdkJson.output).toBe('cdk.out');
  expect(cdkJson.context['@aws-cdk/aws-apigateway:disableCloudWatchRole']).toBe(true);
  expect(existsSync(path.join(repoRoot, 'infra', 'app.ts'))).toBe(true);
});

test('runCdk runs the real CLI and resolves when it succeeds', async () => {
  await expect(
    runCdk({ cli: 'cdklocal', args: ['--version'], output: 'quiet' }),
  ).resolves.toBeUndefined();
});

test('runCdk fails with the exit code and the CLI output tail', async () => {
  // cdklocal itself refuses AWS_ENDPOINT_URL without AWS_ENDPOINT_URL_S3 (see localstack/cdklocal-env.ts).
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
  delete env.AWS_ENDPOINT_URL_S3;
  await expect(runCdk({ cli: 'cdklocal', args: ['synth'], env, output: 'quiet' })).rejects.toThrow(
    /cdklocal synth exited with code [1-9][\s\S]*AWS_ENDPOINT_URL_S3' must be specified/,
  );
});
