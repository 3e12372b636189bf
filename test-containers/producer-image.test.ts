import type { GenericContainer } from 'testcontainers';
import { buildTarget, buildTimeoutMs, runToExit } from './images';

// The `producer` target: the CLI as one bundle on plain Node, run as `docker run <image> <args>`.
describe('producer image', () => {
  let image: GenericContainer;

  beforeAll(async () => {
    image = await buildTarget('producer');
  }, buildTimeoutMs);

  test('answers --help with the CLI usage and exit code 0', async () => {
    const { exitCode, output } = await runToExit(image.withCommand(['--help']));

    expect({ exitCode, output }).toEqual({
      exitCode: 0,
      output: expect.stringContaining('Usage:'),
    });
    for (const option of ['--n-events', '--n-workers', '--max-delay']) {
      expect(output).toContain(option);
    }
  });

  test('runs as a non-root user, with the bundle and no node_modules', async () => {
    const probe = `
      const fs = require('node:fs');
      console.log(JSON.stringify({
        uid: process.getuid(),
        files: fs.readdirSync('/opt/producer'),
        nodeModules: fs.existsSync('/opt/producer/node_modules'),
      }));`;
    const { exitCode, output } = await runToExit(
      image.withEntrypoint(['node']).withCommand(['-e', probe]),
    );

    expect(exitCode).toBe(0);
    const facts: unknown = JSON.parse(output);
    expect(facts).toEqual({ uid: expect.any(Number), files: ['producer.cjs'], nodeModules: false });
    expect((facts as { uid: number }).uid).not.toBe(0);
  });
});
