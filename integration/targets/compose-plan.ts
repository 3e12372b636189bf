import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../deployment/repo-root';

/**
 * What `docker compose up` runs for the LocalStack variant, read from docker-compose.yml itself, so
 * the suite's `localstack` target runs the same deploy the same way: the Dockerfile's deploy image,
 * as the compose user, with the compose environment, on a network where LocalStack answers to its
 * service name. A change to the compose file changes what the suite runs.
 */
export interface ComposeDeployPlan {
  /** The LocalStack service's name: its network alias, the host of LOCALSTACK_ENDPOINT. */
  readonly localstackAlias: string;
  /** LocalStack's environment, without the network for Lambda (the caller's network goes there). */
  readonly localstackEnvironment: Record<string, string>;
  /** The Dockerfile target the deploy service builds. */
  readonly deployTarget: string;
  readonly deployUser: string | undefined;
  /** The deploy service's environment, without the host-only settings (a test never writes .env). */
  readonly deployEnvironment: Record<string, string>;
}

interface ComposeService {
  build?: { target?: string };
  environment?: Record<string, string>;
  user?: string;
}

/** Variables only `docker compose` on a user's machine needs: the host's .env and its URL. */
const hostOnly = new Set(['HOST_ENV_FILE', 'HOST_ENDPOINT']);

/** `${NAME:-default}` as compose substitutes it, from the given environment. */
function interpolate(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_m, name: string, fallback?: string) => env[name] || (fallback ?? ''),
  );
}

export function composeDeployPlan(
  composeText = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'),
  env: NodeJS.ProcessEnv = process.env,
): ComposeDeployPlan {
  const compose = parse(composeText) as { services?: Record<string, ComposeService> };
  const deploy = compose.services?.deploy;
  if (!deploy) throw new Error('docker-compose.yml has no deploy service');
  const endpoint = deploy.environment?.LOCALSTACK_ENDPOINT;
  if (!endpoint) throw new Error('docker-compose.yml: deploy has no LOCALSTACK_ENDPOINT');
  const localstackAlias = new URL(endpoint).hostname;
  const localstack = compose.services?.[localstackAlias];
  if (!localstack) {
    throw new Error(`docker-compose.yml: LOCALSTACK_ENDPOINT names ${localstackAlias}, no service`);
  }
  const target = deploy.build?.target;
  if (!target) throw new Error('docker-compose.yml: deploy builds no Dockerfile target');
  const pick = (
    environment: Record<string, string> | undefined,
    skip: (key: string) => boolean,
  ): Record<string, string> =>
    Object.fromEntries(
      Object.entries(environment ?? {})
        .filter(([key]) => !skip(key))
        .map(([key, value]) => [key, interpolate(String(value), env)])
        // An empty value is compose's "not set" (LOCALSTACK_AUTH_TOKEN without a token).
        .filter(([, value]) => value !== ''),
    );
  return {
    localstackAlias,
    localstackEnvironment: pick(localstack.environment, (key) => key === 'LAMBDA_DOCKER_NETWORK'),
    deployTarget: target,
    deployUser: deploy.user,
    deployEnvironment: pick(deploy.environment, (key) => hostOnly.has(key)),
  };
}
