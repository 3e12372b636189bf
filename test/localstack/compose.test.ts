import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, parseDocument } from 'yaml';
import { repoRoot } from '../../deployment/repo-root';
import { defaultLocalStackImage, localStackEnvironment } from '../../localstack/image';

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
const hostPort = `\${LOCALSTACK_PORT:-4566}`;

/** The JSON-form ENTRYPOINT of a Dockerfile stage (one line, or continued with backslashes). */
function stageEntrypoint(stage: string): string[] {
  const start = dockerfile.search(new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${stage}\\s*$`, 'im'));
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = dockerfile.slice(start);
  const end = rest.slice(1).search(/^FROM\s/m);
  const body = end < 0 ? rest : rest.slice(0, end + 1);
  const line = /^ENTRYPOINT\s+(\[[^\]]*\])\s*$/m.exec(body.replace(/\\\n\s*/g, ''))?.[1];
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
    // Named after the compose project: stacks started with -p never share it.
    expect(network).toBe(`\${COMPOSE_PROJECT_NAME:-push-pipeline}_pipeline`);
  });

  test('publishes the edge port on loopback only, on LOCALSTACK_PORT (default 4566)', () => {
    expect(localstack?.ports).toEqual([`127.0.0.1:${hostPort}:4566`]);
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
    expect(scripts['deploy:compose']).toBe('tsx cli/deploy-compose.ts');
  });

  test('starts once LocalStack is healthy and deploys into the localstack service', () => {
    expect(deploy?.depends_on).toEqual({ localstack: { condition: 'service_healthy' } });
    expect(deploy?.environment?.LOCALSTACK_ENDPOINT).toBe('http://localstack:4566');
  });

  test('writes the env file into the shared volume', () => {
    const file = deploy?.environment?.PIPELINE_ENV_FILE ?? '';
    expect(file).toBe('/shared/pipeline.env');
    expect(deploy?.volumes).toContain(`pipeline-shared:${path.posix.dirname(file)}`);
    expect(Object.keys(compose.volumes)).toEqual(['pipeline-shared']);
  });

  test("writes the host's .env (the project folder) with the URL the host reaches LocalStack at", () => {
    expect(deploy?.volumes).toContain('.:/project');
    expect(deploy?.environment?.HOST_ENV_FILE).toBe('/project/.env');
    expect(deploy?.environment?.HOST_ENDPOINT).toBe(`http://127.0.0.1:${hostPort}`);
  });

  test('sets CDK_S3_FORCE_PATH_STYLE for cdklocal run by hand in the deploy container', () => {
    expect(deploy?.environment?.CDK_S3_FORCE_PATH_STYLE).toBe('1');
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
      '--dotenv',
      deploy?.environment?.PIPELINE_ENV_FILE,
    ]);
    expect(producer?.volumes).toEqual(['pipeline-shared:/shared:ro']);
    expect(producer?.command ?? []).not.toContain('--dotenv');
  });

  test("runs the original's example by default, keeping its report for npm run verify", () => {
    expect(producer?.command).toEqual([
      ...['--n-events', '50', '--n-workers', '5', '--max-delay', '2'],
      ...['--report', 'report.json'],
    ]);
  });
});

describe('the emulator variant (docker-compose.emulator.yml)', () => {
  const text = readFileSync(path.join(repoRoot, 'docker-compose.emulator.yml'), 'utf8');
  // !reset / !override are compose's merge tags: read the tags from the document, values as maps.
  const document = parseDocument(text, { logLevel: 'error' });
  const override = document.toJS() as Compose;
  const emulator = override.services.emulator;
  const tagOf = (...keys: string[]) => (document.getIn(keys, true) as { tag?: string }).tag;
  const command = emulator?.command ?? [];
  const valuesOf = (flag: string) =>
    command.flatMap((arg, i) => (arg === flag ? [command[i + 1] ?? ''] : []));
  const entrypoint = stageEntrypoint('emulator');
  const entryValue = (flag: string) => entrypoint[entrypoint.indexOf(flag) + 1];

  test('drops LocalStack and its deploy, and adds the emulator; the producer is the same service', () => {
    expect(tagOf('services', 'localstack')).toBe('!reset');
    expect(tagOf('services', 'deploy')).toBe('!reset');
    expect(Object.keys(override.services).sort()).toEqual([
      'deploy',
      'emulator',
      'localstack',
      'producer',
    ]);
    // Only what it waits for changes.
    expect(Object.keys(override.services.producer ?? {})).toEqual(['depends_on']);
    expect(tagOf('services', 'producer', 'depends_on')).toBe('!override');
    expect(override.services.producer?.depends_on).toEqual({
      emulator: { condition: 'service_healthy' },
    });
  });

  test("runs the Dockerfile emulator image: npm run dev's entry, on every interface", () => {
    expect(emulator?.build).toEqual({
      context: '.',
      target: 'emulator',
      args: { NODE_IMAGE: nodeImageArg },
    });
    expect(entrypoint.slice(0, 5)).toEqual(['npm', 'run', '--silent', 'dev', '--']);
    const scripts = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts;
    expect(scripts.dev).toBe('tsx cli/dev.ts');
    expect(entryValue('--host')).toBe('0.0.0.0');
    expect(entrypoint).toContain('--no-watch');
  });

  test('publishes the gateway on LOCALSTACK_PORT, S3 on the same port inside and out, and the console', () => {
    const s3Port = valuesOf('--s3-port');
    expect(s3Port).toEqual([`\${EMULATOR_S3_PORT:-4567}`]);
    expect(emulator?.ports).toEqual([
      `127.0.0.1:${hostPort}:${entryValue('--port')}`,
      `127.0.0.1:${s3Port[0]}:${s3Port[0]}`,
      `127.0.0.1:\${EMULATOR_CONSOLE_PORT:-4681}:${entryValue('--console-port')}`,
    ]);
  });

  test("writes the producer's env file (by service name) and the host's .env (by host port)", () => {
    expect(valuesOf('--write-env')).toEqual([
      `${deploy?.environment?.PIPELINE_ENV_FILE}=http://emulator:${entryValue('--port')}`,
      `/project/.env=http://127.0.0.1:${hostPort}`,
    ]);
    expect(emulator?.volumes).toEqual([
      `emulator-data:${entryValue('--data-dir')}`,
      'pipeline-shared:/shared',
      '.:/project',
    ]);
    expect(emulator?.networks).toEqual(['pipeline']);
  });

  test('is healthy once the gateway routes and the env file is there', () => {
    const check = emulator?.healthcheck?.test ?? [];
    expect(check.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(check[3]).toContain(`http://127.0.0.1:${entryValue('--port')}/prod/events`);
    expect(check[3]).toContain(deploy?.environment?.PIPELINE_ENV_FILE);
  });
});
