import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Runs once before the container tests. They need a Docker engine: without one they fail here,
 * loudly, with what to do (never skipped), and they get the Node base image the Dockerfile is
 * built on (NODE_IMAGE, which .ci/run sets; found or built by scripts/build-base-image.sh when unset).
 */
export default async function globalSetup(): Promise<void> {
  // Testcontainers' reaper (the testcontainers/ryuk image) removes what a crashed run left; that
  // image cannot be pulled where Docker Hub is unreachable (this workplace and its CI), and
  // starting it would fail every test. Without it, the tests remove their containers themselves.
  // An explicit TESTCONTAINERS_RYUK_DISABLED=false (a machine with Docker Hub) is kept.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The container tests need a Docker engine and none answers (${reason}). ` +
        'Run `bash scripts/provision-docker.sh` as root (installs and starts one on Debian), ' +
        'or start Docker yourself, then re-run `npm run test:containers`.',
    );
  }

  if (!process.env.NODE_IMAGE) {
    const script = path.join(__dirname, '..', 'scripts', 'build-base-image.sh');
    // Progress goes to stderr; the image name is stdout's last line.
    const stdout = execFileSync('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const image = stdout.toString().trim().split('\n').at(-1);
    if (!image) {
      throw new Error(`${script} printed no image name; set NODE_IMAGE to a Node 24 image`);
    }
    process.env.NODE_IMAGE = image;
  }
}
