import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runInNewContext } from 'node:vm';
import { repoRoot } from '../../deployment/repo-root';
import { cdklocalEnvironment } from '../../localstack/cdklocal-env';

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

/**
 * The CDK CLI's own decision on path-style S3 for its asset publisher (`forceS3PathStyle` in the
 * installed aws-cdk bundle), evaluated on the environment cdklocal passes on. The CLI bundles it
 * privately, so it is taken from the bundle's text: a CLI update that moves or renames it fails
 * here, loudly, and the test is then updated with it.
 */
const cdkPathStyleModule = (() => {
  const bundle = readFileSync(
    path.join(repoRoot, 'node_modules', 'aws-cdk', 'lib', 'index.js'),
    'utf8',
  );
  const marker = '"../@aws-cdk/private-tools/lib/s3-path-style/index.js"(exports2) {';
  const start = bundle.indexOf(marker);
  const end = bundle.indexOf('\n});', start);
  return start < 0 || end < 0
    ? undefined
    : bundle.slice(start + marker.length, end).replace(/\}\s*$/, '');
})();

function cdkForceS3PathStyle(env: NodeJS.ProcessEnv): boolean | undefined {
  if (cdkPathStyleModule === undefined) {
    throw new Error("aws-cdk's bundle no longer holds the s3-path-style module: update this test");
  }
  const exports2: { forceS3PathStyle?: () => boolean | undefined } = {};
  runInNewContext(cdkPathStyleModule, {
    exports2,
    process: { env },
    URL,
    __name: (f: unknown) => f,
  });
  if (typeof exports2.forceS3PathStyle !== 'function') {
    throw new Error("aws-cdk's s3-path-style module exports no forceS3PathStyle: update this test");
  }
  return exports2.forceS3PathStyle();
}

/** The environment the CDK CLI sees: ours, after cdklocal's filter. */
function afterCdklocal(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const filtered = { ...env };
  configureEnvironment(filtered, filtered.AWS_ENVAR_ALLOWLIST ?? '');
  return filtered;
}

describe("the CDK CLI's asset publisher addresses S3 path-style", () => {
  test.each([
    ['a compose service name', 'http://localstack:4566'],
    ['a LocalStack on another host', 'https://ls.example.internal:4566'],
    ['an IP address', 'http://172.18.0.2:4566'],
    ['loopback', 'http://localhost:4566'],
  ])('%s (%s)', (_case, endpoint) => {
    const env = afterCdklocal(cdklocalEnvironment({ endpoint, baseEnv: userEnv }));
    expect(env.CDK_S3_FORCE_PATH_STYLE).toBe('1');
    expect(cdkForceS3PathStyle(env)).toBe(true);
  });

  test('the CLI alone would not for a named endpoint: the reason CDK_S3_FORCE_PATH_STYLE is set', () => {
    const env = afterCdklocal(
      cdklocalEnvironment({ endpoint: 'http://localstack:4566', baseEnv: {} }),
    );
    delete env.CDK_S3_FORCE_PATH_STYLE;
    expect(cdkForceS3PathStyle(env)).toBeUndefined();
  });

  test('virtual-hosted under localhost.localstack.cloud, whose DNS serves bucket names', () => {
    const env = afterCdklocal(
      cdklocalEnvironment({ endpoint: 'http://localhost.localstack.cloud:4566', baseEnv: {} }),
    );
    expect(env.CDK_S3_FORCE_PATH_STYLE).toBeUndefined();
    expect(cdkForceS3PathStyle(env)).toBeUndefined();
  });
});
