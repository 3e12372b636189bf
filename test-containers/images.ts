import type { Readable } from 'node:stream';
import {
  GenericContainer as Containers,
  type GenericContainer,
  getContainerRuntimeClient,
  StartupCheckStrategy,
  type StartupStatus,
} from 'testcontainers';
import { repoRoot } from '../deployment/repo-root';

/** The Dockerfile's targets. */
export type ImageTarget = 'producer' | 'deploy' | 'emulator';

/** A first build runs `npm ci` inside the image; later ones reuse the engine's layer cache. */
export const buildTimeoutMs = 15 * 60_000;
const runTimeoutMs = 60_000;

function nodeImage(): string {
  const image = process.env.NODE_IMAGE;
  if (!image) {
    throw new Error('NODE_IMAGE is not set; test-containers/global-setup.ts should have set it');
  }
  return image;
}

/** The tag buildTarget gives a target's image (for `new GenericContainer(tag)`). */
export function imageTag(target: string): string {
  return `push-pipeline/${target}:test`;
}

/**
 * Builds one target of the repository's Dockerfile, as `docker build --target` would, under a
 * fixed tag: rebuilding an unchanged tree only re-tags the cached image, so nothing piles up.
 */
export function buildTarget(
  target: ImageTarget | (string & {}),
  options: { nodeImage?: string } = {},
): Promise<GenericContainer> {
  return Containers.fromDockerfile(repoRoot)
    .withBuildArgs({ NODE_IMAGE: options.nodeImage ?? nodeImage() })
    .withTarget(target)
    .build(imageTag(target), { deleteOnExit: false });
}

/** Ready once the container has exited, whatever its exit code (the caller asserts on it). */
class ExitedStrategy extends StartupCheckStrategy {
  override async checkStartupState(
    dockerClient: Parameters<StartupCheckStrategy['checkStartupState']>[0],
    containerId: string,
  ): Promise<StartupStatus> {
    const { State } = await dockerClient.getContainer(containerId).inspect();
    return State.Running || State.Restarting ? 'PENDING' : 'SUCCESS';
  }
}

export interface RunResult {
  exitCode: number;
  /** stdout and stderr, interleaved. */
  output: string;
}

async function readAll(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** Runs a container to completion and returns its exit code and output; removes it after. */
export async function runToExit(
  container: GenericContainer,
  options: { timeoutMs?: number } = {},
): Promise<RunResult> {
  const started = await container
    .withWaitStrategy(new ExitedStrategy())
    .withStartupTimeout(options.timeoutMs ?? runTimeoutMs)
    .start();
  try {
    const client = await getContainerRuntimeClient();
    const info = await client.container.inspect(client.container.getById(started.getId()));
    return { exitCode: info.State.ExitCode, output: await readAll(await started.logs()) };
  } finally {
    await started.stop();
  }
}
