import { LocalstackContainer, type StartedLocalStackContainer } from '@testcontainers/localstack';
import { Network, type StartedNetwork } from 'testcontainers';
import { defaultLocalStackRegion } from '../../localstack/cdklocal-env';
import { findOnEndpoint } from '../../localstack/deploy-to-endpoint';
import { localStackImage } from '../../localstack/image';
import { buildTarget, runToExit } from '../../test-containers/images';
import { type ComposeDeployPlan, composeDeployPlan } from './compose-plan';
import { targetFromDeployment } from './deployed';
import type { StartedTarget } from './target';
import { warmUp } from './warm-up';

/**
 * LocalStack started by testcontainers and deployed into the way `docker compose up` does it
 * (compose-plan.ts reads docker-compose.yml): the Dockerfile's deploy image runs on a network of
 * its own, next to LocalStack under its compose service name, with the compose environment, so
 * cdklocal deploys to http://localstack:4566, a non-loopback endpoint, as in compose. The suite
 * then finds the stack from the host through the mapped port.
 */
export async function startLocalStackTarget(
  plan: ComposeDeployPlan = composeDeployPlan(),
): Promise<StartedTarget> {
  const image = localStackImage();
  let network: StartedNetwork | undefined;
  let container: StartedLocalStackContainer;
  try {
    network = await new Network().start();
    container = await new LocalstackContainer(image)
      .withNetwork(network)
      .withNetworkAliases(plan.localstackAlias)
      // LocalStack runs Lambda functions in sibling containers through the host's engine; they
      // join this network to reach LocalStack's S3.
      .withBindMounts([{ source: '/var/run/docker.sock', target: '/var/run/docker.sock' }])
      .withEnvironment({ ...plan.localstackEnvironment, LAMBDA_DOCKER_NETWORK: network.getName() })
      .start();
  } catch (error) {
    await network?.stop().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PIPELINE_TARGET=localstack could not start ${image}: ${reason}\n` +
        'It needs a Docker engine (scripts/provision-docker.sh on Debian) and the image, pulled or ' +
        'loaded (docker pull ' +
        image +
        '). Tags after 4.14.0 also need LOCALSTACK_AUTH_TOKEN. Or run PIPELINE_TARGET=embedded.',
    );
  }
  const stop = async () => {
    await container.stop();
    await network.stop();
  };
  try {
    await deployAsCompose(plan, network);
    const endpoint = container.getConnectionUri();
    const deployed = await findOnEndpoint({
      endpoint,
      stackName: plan.deployEnvironment.STACK_NAME,
      region: defaultLocalStackRegion,
    });
    if (!deployed) throw new Error('the deploy container exited 0, yet LocalStack has no stack');
    const target = targetFromDeployment('localstack', deployed, stop);
    await warmUp(target);
    return target;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The compose deploy service, run to completion; its output is in the error when it fails. */
async function deployAsCompose(plan: ComposeDeployPlan, network: StartedNetwork): Promise<void> {
  const image = await buildTarget(plan.deployTarget, {
    // As compose's default: the official image, or the one NODE_IMAGE names.
    nodeImage: process.env.NODE_IMAGE || 'node:24-bookworm-slim',
  });
  let deploy = image.withNetwork(network).withEnvironment(plan.deployEnvironment);
  if (plan.deployUser) deploy = deploy.withUser(plan.deployUser);
  const { exitCode, output } = await runToExit(deploy, { timeoutMs: deployTimeoutMs });
  if (exitCode !== 0) {
    throw new Error(`the deploy container exited with ${exitCode}:\n${output.slice(-4000)}`);
  }
}

/** Bootstrap + deploy on 2 cores, with LocalStack creating the function: minutes, not seconds. */
const deployTimeoutMs = 10 * 60_000;
