import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { defaultLocalStackImage, localStackEnvironment } from '../../localstack/image';
import { repoRoot } from '../../pipeline/repo-root';

// The unit tests need neither a Docker engine nor LocalStack's image: they check the compose file's
// wiring; `docker compose up` runs it.
interface Service {
  image?: string;
  build?: { context: string; target: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  entrypoint?: string[];
  command?: string[];
  networks?: string[];
  user?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  networks: Record<string, { name: string }>;
}

const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8')) as Compose;
const { localstack, deploy, producer } = compose.services;
const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
// Compose variable references, as written in the file.
const nodeImageArg = `\${NODE_IMAGE:-node:24-bookworm-slim}`;

/** The JSON-form ENTRYPOINT of a Dockerfile stage. */
function stageEntrypoint(stage: string): string[] {
  const start = dockerfile.search(new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${stage}\\s*$`, 'im'));
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = dockerfile.slice(start);
  const end = rest.slice(1).search(/^FROM\s/m);
  const body = end < 0 ? rest : rest.slice(0, end + 1);
  const line = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(body)?.[1];
  return JSON.parse(line ?? '[]');
}

test('services: localstack, deploy, producer', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['deploy', 'localstack', 'producer']);
});

describe('localstack', () => {
  test('pins 4.14.0 by default (the last tag that starts without a token), overridable', () => {
    expect(defaultLocalStackImage).toBe('localstack/localstack:4.14.0');
    expect(localstack?.image).toBe(`\${LOCALSTACK_IMAGE:-${defaultLocalStackImage}}`);
  });

  test('passes LOCALSTACK_AUTH_TOKEN through when set', () => {
    expect(localstack?.environment?.LOCALSTACK_AUTH_TOKEN).toBe(`\${LOCALSTACK_AUTH_TOKEN:-}`);
  });

  test('has the settings the testcontainers target uses too (localstack/image.ts)', () => {
    expect(localstack?.environment).toEqual({
      ...localStackEnvironment({ lambdaNetwork: compose.networks.pipeline?.name ?? '' }),
      LOCALSTACK_AUTH_TOKEN: `\${LOCALSTACK_AUTH_TOKEN:-}`,
    });
  });

  test('mounts the Docker socket for Lambda, on the network the Lambda containers join', () => {
    expect(localstack?.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
    const network = localstack?.environment?.LAMBDA_DOCKER_NETWORK;
    expect(network).toBe(compose.networks.pipeline?.name);
    for (const service of [localstack, deploy, producer])
      expect(service?.networks).toEqual(['pipeline']);
  });

  test('publishes the edge port on loopback only', () => {
    expect(localstack?.ports).toEqual(['127.0.0.1:4566:4566']);
  });

  test('reports healthy through its health endpoint', () => {
    expect(localstack?.healthcheck?.test).toEqual([
      'CMD',
      'curl',
      '-fsS',
      'http://localhost:4566/_localstack/health',
    ]);
  });
});

describe('deploy', () => {
  test('is the Dockerfile deploy target, on the Node image chosen by NODE_IMAGE', () => {
    expect(deploy?.build).toEqual({
      context: '.',
      target: 'deploy',
      args: { NODE_IMAGE: nodeImageArg },
    });
    expect(stageEntrypoint('deploy')).toEqual(['npm', 'run', '--silent', 'deploy:compose']);
    const scripts = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts;
    expect(scripts['deploy:compose']).toBe('tsx localstack/cli/deploy-compose.ts');
  });

  test('starts once LocalStack is healthy and deploys into the localstack service', () => {
    expect(deploy?.depends_on).toEqual({ localstack: { condition: 'service_healthy' } });
    expect(deploy?.environment?.LOCALSTACK_ENDPOINT).toBe('http://localstack:4566');
  });

  test('writes the env file into the shared volume', () => {
    const file = deploy?.environment?.PIPELINE_ENV_FILE ?? '';
    expect(file).toBe('/shared/pipeline.env');
    expect(deploy?.volumes).toEqual([`pipeline-shared:${path.posix.dirname(file)}`]);
    expect(Object.keys(compose.volumes)).toEqual(['pipeline-shared']);
  });
});

describe('producer', () => {
  test('is the Dockerfile producer target and waits for a successful deploy', () => {
    expect(producer?.build).toEqual({
      context: '.',
      target: 'producer',
      args: { NODE_IMAGE: nodeImageArg },
    });
    expect(producer?.depends_on).toEqual({
      deploy: { condition: 'service_completed_successfully' },
    });
  });

  test('reads the deploy env file via its entrypoint, so `compose run producer <args>` keeps it', () => {
    const image = stageEntrypoint('producer');
    expect(image.length).toBeGreaterThan(0);
    expect(producer?.entrypoint).toEqual([
      ...image,
      '--env-file',
      deploy?.environment?.PIPELINE_ENV_FILE,
    ]);
    expect(producer?.volumes).toEqual(['pipeline-shared:/shared:ro']);
    expect(producer?.command ?? []).not.toContain('--env-file');
  });

  test("runs the original's example by default", () => {
    expect(producer?.command).toEqual(['--n-events', '50', '--n-workers', '5', '--max-delay', '2']);
  });
});
