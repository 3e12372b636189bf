import type { GenericContainer } from 'testcontainers';
import { buildTarget, buildTimeoutMs, runToExit } from './images';

// The `deploy` target: the repository and its dependencies, deploying the CDK app into LocalStack
// with `npm run deploy:compose` (its entrypoint). Deploying needs LocalStack: that belongs to the
// integration suite; here the image's own promises are checked.
describe('deploy image', () => {
  let image: GenericContainer;

  beforeAll(async () => {
    image = await buildTarget('deploy');
  }, buildTimeoutMs);

  test('runs as a non-root user who can write the app folder, with the entrypoint script and cdklocal', async () => {
    const probe = `
      const fs = require('node:fs');
      let writable = true;
      try { fs.accessSync('.', fs.constants.W_OK); } catch { writable = false; }
      let cdklocal = true;
      try { require.resolve('aws-cdk-local/package.json', { paths: ['.'] }); } catch { cdklocal = false; }
      console.log(JSON.stringify({
        uid: process.getuid(),
        cwd: process.cwd(),
        writable,
        cdklocal,
        deployScript: typeof require('./package.json').scripts?.['deploy:compose'],
      }));`;
    const { exitCode, output } = await runToExit(
      image.withEntrypoint(['node']).withCommand(['-e', probe]),
    );

    expect(exitCode).toBe(0);
    const facts: unknown = JSON.parse(output);
    expect(facts).toEqual({
      uid: expect.any(Number),
      cwd: '/app',
      writable: true,
      cdklocal: true,
      deployScript: 'string',
    });
    expect((facts as { uid: number }).uid).not.toBe(0);
  });
});
