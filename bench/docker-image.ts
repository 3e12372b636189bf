import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ImageSize =
  | { measured: true; image: string; bytes: number; created: string }
  | { measured: false; reason: string };

/**
 * Size of the newest local image of `repository` (any tag), from `docker image inspect`. The bench
 * never builds it (a first build runs npm ci in the image: minutes); it reports what is there.
 */
export async function localImageSize(repository: string): Promise<ImageSize> {
  let listing: string;
  try {
    ({ stdout: listing } = await run(
      'docker',
      ['image', 'ls', repository, '--format', '{{.Repository}}:{{.Tag}}\t{{.CreatedAt}}'],
      { timeout: 15_000 },
    ));
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { measured: false, reason: `docker is not available here (${message})` };
  }
  const newest = listing
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'))
    .sort((a, b) => (b[1] ?? '').localeCompare(a[1] ?? ''))[0];
  if (!newest?.[0]) {
    return {
      measured: false,
      reason: `no ${repository} image on this machine (build it with \`docker build --target producer -t ${repository} .\`)`,
    };
  }
  const { stdout } = await run('docker', ['image', 'inspect', newest[0], '--format', '{{.Size}}'], {
    timeout: 15_000,
  });
  return {
    measured: true,
    image: newest[0],
    bytes: Number(stdout.trim()),
    created: newest[1] ?? '',
  };
}
