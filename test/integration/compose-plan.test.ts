import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../deployment/repo-root';
import { composeDeployPlan } from '../../integration/targets/compose-plan';
import { startBudgetMs } from '../../integration/targets/index';
import { cdklocalEnvironment } from '../../localstack/cdklocal-env';
import { localStackEnvironment } from '../../localstack/image';

// The suite's `localstack` target runs what docker-compose.yml runs (it cannot run here: no
// LocalStack image). These cases check that wiring: the plan comes from the compose file itself.
const composeText = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');

describe('the localstack target deploys as docker compose does', () => {
  const plan = composeDeployPlan(composeText, {});

  test("LocalStack answers to its compose service name, the deploy's endpoint host", () => {
    expect(plan.localstackAlias).toBe('localstack');
    expect(plan.deployEnvironment.LOCALSTACK_ENDPOINT).toBe('http://localstack:4566');
  });

  test('the deploy runs the Dockerfile deploy image as the compose user, with its environment', () => {
    expect(plan.deployTarget).toBe('deploy');
    expect(plan.deployUser).toBe('root');
    expect(plan.deployEnvironment).toEqual({
      LOCALSTACK_ENDPOINT: 'http://localstack:4566',
      CDK_S3_FORCE_PATH_STYLE: '1',
      PIPELINE_ENV_FILE: '/shared/pipeline.env',
    });
  });

  test("the host's .env is left alone: the host-only settings are dropped", () => {
    expect(composeText).toContain('HOST_ENV_FILE');
    expect(Object.keys(plan.deployEnvironment)).not.toContain('HOST_ENV_FILE');
    expect(Object.keys(plan.deployEnvironment)).not.toContain('HOST_ENDPOINT');
  });

  test("LocalStack gets compose's settings; the Lambda network is the target's own", () => {
    expect(plan.localstackEnvironment).toEqual(localStackEnvironment());
    expect(
      composeDeployPlan(composeText, { LOCALSTACK_AUTH_TOKEN: 'tok' }).localstackEnvironment,
    ).toEqual(localStackEnvironment({ authToken: 'tok' }));
  });

  test('the endpoint is not loopback, so the deploy takes the path-style fix (issue 10)', () => {
    const env = cdklocalEnvironment({
      endpoint: plan.deployEnvironment.LOCALSTACK_ENDPOINT ?? '',
      baseEnv: {},
    });
    expect(env.CDK_S3_FORCE_PATH_STYLE).toBe('1');
  });

  test('follows the compose file: a renamed service or endpoint changes the plan', () => {
    const renamed = composeText
      .replace(/^ {2}localstack:$/m, '  emulated-aws:')
      .replace('http://localstack:4566', 'http://emulated-aws:4566')
      .replace(/condition: service_healthy/, 'condition: service_started');
    expect(composeDeployPlan(renamed, {}).localstackAlias).toBe('emulated-aws');
    expect(() =>
      composeDeployPlan(composeText.replace('http://localstack:4566', 'http://nowhere:4566'), {}),
    ).toThrow(/names nowhere, no service/);
  });
});

test('the deploying targets get minutes to start, not the 60 s default', () => {
  expect(startBudgetMs.localstack).toBeGreaterThanOrEqual(20 * 60_000);
  expect(startBudgetMs.endpoint).toBeGreaterThanOrEqual(10 * 60_000);
  expect(startBudgetMs.embedded).toBe(60_000);
});
