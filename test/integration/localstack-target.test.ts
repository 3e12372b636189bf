/**
 * PIPELINE_TARGET=localstack needs a Docker engine and LocalStack's image (pulled, or loaded where
 * Docker Hub is out of reach). Without either it must fail with a message saying what is missing
 * and what to do, never skip. An image that exists nowhere makes the failure certain on any
 * machine, with or without an engine.
 */
type Start = typeof import('../../integration/targets/localstack').startLocalStackTarget;

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

/** A fresh testcontainers per case: it caches the engine it found for the life of the module. */
async function startWith(env: Record<string, string>): Promise<unknown> {
  Object.assign(process.env, {
    LOCALSTACK_IMAGE: 'push-pipeline/no-such-localstack:0.0.0',
    TESTCONTAINERS_RYUK_DISABLED: 'true',
    ...env,
  });
  let start: Start | undefined;
  jest.isolateModules(() => {
    start = (require('../../integration/targets/localstack') as { startLocalStackTarget: Start })
      .startLocalStackTarget;
  });
  if (!start) throw new Error('the localstack target did not load');
  return start();
}

it('fails loudly, naming the image and what to do, when the image cannot be had', async () => {
  await expect(startWith({})).rejects.toThrow(
    /PIPELINE_TARGET=localstack could not start push-pipeline\/no-such-localstack:0\.0\.0[\s\S]*Docker engine[\s\S]*PIPELINE_TARGET=embedded/,
  );
}, 60_000);

it('fails loudly when no Docker engine answers', async () => {
  await expect(startWith({ DOCKER_HOST: 'tcp://127.0.0.1:1' })).rejects.toThrow(
    /could not start[\s\S]*container runtime[\s\S]*provision-docker\.sh/,
  );
}, 60_000);
