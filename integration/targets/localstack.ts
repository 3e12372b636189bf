import { LocalstackContainer } from '@testcontainers/localstack';
import { deployToEndpoint } from '../../localstack/deploy-to-endpoint';
import {
  localStackAuthToken,
  localStackEnvironment,
  localStackImage,
} from '../../localstack/image';
import { targetFromDeployment } from './deployed';
import type { StartedTarget } from './target';

/**
 * A LocalStack container started by testcontainers, with the stack deployed into it by the kit's
 * own cdklocal deploy code (the same code `docker compose up` and `npm run deploy:local` use).
 */
export async function startLocalStackTarget(): Promise<StartedTarget> {
  const image = localStackImage();
  const token = localStackAuthToken();
  let container: Awaited<ReturnType<LocalstackContainer['start']>>;
  try {
    container = await new LocalstackContainer(image)
      // LocalStack runs Lambda functions in sibling containers through the host's engine.
      .withBindMounts([{ source: '/var/run/docker.sock', target: '/var/run/docker.sock' }])
      .withEnvironment(localStackEnvironment({ authToken: token }))
      .start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PIPELINE_TARGET=localstack could not start ${image}: ${reason}\n` +
        'It needs a Docker engine (scripts/provision-docker.sh on Debian) and the image, pulled or ' +
        'loaded (docker pull ' +
        image +
        '). Tags after 4.14.0 also need LOCALSTACK_AUTH_TOKEN. Or run PIPELINE_TARGET=embedded.',
    );
  }
  try {
    const deployed = await deployToEndpoint({
      endpoint: container.getConnectionUri(),
      output: 'quiet',
    });
    return targetFromDeployment('localstack', deployed, async () => {
      await container.stop();
    });
  } catch (error) {
    await container.stop();
    throw error;
  }
}
