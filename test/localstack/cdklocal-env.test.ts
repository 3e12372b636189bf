import * as path from 'node:path';
import { cdklocalEnvironment } from '../../localstack/cdklocal-env';
import { repoRoot } from '../../pipeline/repo-root';

// aws-cdk-local's own environment filter, the code cdklocal runs before the CDK CLI starts.
const { configureEnvironment } = require(
  path.join(repoRoot, 'node_modules', 'aws-cdk-local', 'src'),
) as {
  configureEnvironment: (env: NodeJS.ProcessEnv, allowList: string) => void;
};

const userEnv: NodeJS.ProcessEnv = {
  PATH: '/usr/bin',
  HOME: '/home/me',
  AWS_PROFILE: 'production',
  AWS_SESSION_TOKEN: 'real-token',
  AWS_ACCESS_KEY_ID: 'AKIAREAL',
  AWS_SECRET_ACCESS_KEY: 'real-secret',
  AWS_REGION: 'eu-west-1',
};

test('sets both endpoints, dummy credentials and the region, and allowlists them', () => {
  const env = cdklocalEnvironment({ endpoint: 'http://localstack:4566/', baseEnv: userEnv });
  expect(env).toMatchObject({
    PATH: '/usr/bin',
    HOME: '/home/me',
    AWS_ENDPOINT_URL: 'http://localstack:4566',
    AWS_ENDPOINT_URL_S3: 'http://localstack:4566',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_S3_FORCE_PATH_STYLE: '1',
  });
  expect(env.AWS_ENVAR_ALLOWLIST?.split(',').sort()).toEqual([
    'AWS_ACCESS_KEY_ID',
    'AWS_DEFAULT_REGION',
    'AWS_REGION',
    'AWS_S3_FORCE_PATH_STYLE',
    'AWS_SECRET_ACCESS_KEY',
  ]);
});

test('drops the caller credentials and profile, and leaves the given environment alone', () => {
  const env = cdklocalEnvironment({
    endpoint: 'http://localhost:4566',
    region: 'eu-central-1',
    baseEnv: userEnv,
  });
  expect(env.AWS_PROFILE).toBeUndefined();
  expect(env.AWS_SESSION_TOKEN).toBeUndefined();
  expect(env.AWS_REGION).toBe('eu-central-1');
  expect(userEnv.AWS_PROFILE).toBe('production');
  expect(userEnv.AWS_ENDPOINT_URL).toBeUndefined();
});

test('no path-style flag under localhost.localstack.cloud, whose DNS serves bucket names', () => {
  const env = cdklocalEnvironment({
    endpoint: 'http://localhost.localstack.cloud:4566',
    baseEnv: {},
  });
  expect(env.AWS_S3_FORCE_PATH_STYLE).toBeUndefined();
  expect(env.AWS_ENVAR_ALLOWLIST).not.toContain('AWS_S3_FORCE_PATH_STYLE');
});

test("survives cdklocal's own filter: nothing we set is stripped", () => {
  const env = cdklocalEnvironment({ endpoint: 'http://localstack:4566', baseEnv: userEnv });
  const filtered = { ...env };
  configureEnvironment(filtered, filtered.AWS_ENVAR_ALLOWLIST ?? '');
  for (const key of Object.keys(env).filter(
    (k) => k.startsWith('AWS_') && k !== 'AWS_ENVAR_ALLOWLIST',
  )) {
    expect([key, filtered[key]]).toEqual([key, env[key]]);
  }
});

test('without the allowlist cdklocal would drop the path-style flag (why it is there)', () => {
  const env = cdklocalEnvironment({ endpoint: 'http://localstack:4566', baseEnv: {} });
  const filtered = { ...env };
  configureEnvironment(filtered, '');
  expect(filtered.AWS_S3_FORCE_PATH_STYLE).toBeUndefined();
});
