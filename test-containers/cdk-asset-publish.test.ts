import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GenericContainer,
  Network,
  type StartedNetwork,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { cdklocalEnvironment, localStackCredentials } from '../localstack/cdklocal-env';
import { buildTarget, buildTimeoutMs, imageTag, runToExit } from './images';

/**
 * Issue 10: a deploy to an endpoint reached by a name (compose's http://localstack:4566) failed
 * at asset upload with `getaddrinfo ENOTFOUND <bucket>.localstack`. Here the CDK CLI's own asset
 * publisher runs as compose runs it: cdklocal in the deploy image, on a container network, with
 * the environment the kit builds (localstack/cdklocal-env.ts), against a real S3 protocol
 * endpoint known only by the name `localstack` there (the emulator image's S3 endpoint).
 * `cdk publish-assets` is the asset half of `cdk deploy`, without CloudFormation (which cannot
 * run here); STS, which the CLI asks for the account first, is a loopback stub in the deploy
 * container (fixtures/sts-caller-identity.js). Not covered: CloudFormation, LocalStack's own S3.
 */
describe("the CDK CLI's asset publisher against an S3 endpoint known by a service name", () => {
  const alias = 'localstack';
  const s3Port = 4567;
  const stsPort = 4592;
  const bucket = 'cdk-hnb659fds-assets-000000000000-us-east-1';
  const deployImage = imageTag('deploy');
  let network: StartedNetwork;
  let s3: StartedTestContainer;
  let client: S3Client;

  beforeAll(async () => {
    // One after the other: the classic builder would build their shared stages twice at once.
    await buildTarget('deploy');
    const emulatorImage = await buildTarget('emulator');
    network = await new Network().start();
    s3 = await emulatorImage
      .withNetwork(network)
      .withNetworkAliases(alias)
      .withCommand(['--s3-port', String(s3Port)])
      .withExposedPorts(s3Port)
      .withWaitStrategy(Wait.forLogMessage(/ready in \d+ ms/))
      .withStartupTimeout(120_000)
      .start();
    client = new S3Client({
      endpoint: `http://${s3.getHost()}:${s3.getMappedPort(s3Port)}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { ...localStackCredentials },
    });
    // What `cdklocal bootstrap` would have created.
    const created = await fetch(`http://${s3.getHost()}:${s3.getMappedPort(s3Port)}/${bucket}`, {
      method: 'PUT',
    });
    expect(created.status).toBe(200);
  }, buildTimeoutMs);

  // Each case starts from an empty bucket: an asset already there is not uploaded again.
  beforeEach(async () => {
    for (const key of await stored()) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    }
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
    await network?.stop();
  });

  /** cdklocal publish-assets of the one-asset fixture app, with the given environment. */
  function publish(env: NodeJS.ProcessEnv) {
    const withSts = {
      ...(env as Record<string, string>),
      AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${stsPort}`,
      AWS_ENVAR_ALLOWLIST: `${env.AWS_ENVAR_ALLOWLIST},AWS_ENDPOINT_URL_STS`,
    };
    const script = [
      `node test-containers/fixtures/sts-caller-identity.js ${stsPort} &`,
      'exec npx cdklocal publish-assets --unstable=publish-assets --output /tmp/cdk.out',
      '--app "npx tsx test-containers/fixtures/asset-app.ts" AssetProbe',
    ].join(' ');
    // A new container definition per run: testcontainers' builders accumulate settings.
    return runToExit(
      new GenericContainer(deployImage)
        .withNetwork(network)
        .withEnvironment(withSts)
        .withEntrypoint(['sh', '-c', script]),
      { timeoutMs: 5 * 60_000 },
    );
  }

  async function stored(): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket })) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
    return keys.sort();
  }

  test(
    'with the environment the kit builds, both assets land in the bucket, path-style',
    async () => {
      const env = cdklocalEnvironment({ endpoint: `http://${alias}:${s3Port}`, baseEnv: {} });
      const { exitCode, output } = await publish(env);

      expect({ exitCode, tail: output.slice(-1500) }).toEqual({
        exitCode: 0,
        tail: expect.stringContaining('Assets published successfully'),
      });
      const keys = await stored();
      // The app's file and its template.
      expect(keys).toHaveLength(2);
      const fileKey = keys.find((key) => /^[0-9a-f]{64}\.ts$/.test(key));
      expect(keys.find((key) => /^[0-9a-f]{64}\.json$/.test(key))).toBeDefined();
      const file = await client.send(new GetObjectCommand({ Bucket: bucket, Key: fileKey }));
      expect(await file.Body?.transformToString()).toBe(
        await readFile(path.join(__dirname, 'fixtures', 'asset-app.ts'), 'utf8'),
      );
    },
    6 * 60_000,
  );

  test(
    'without CDK_S3_FORCE_PATH_STYLE (before the fix) it asks DNS for <bucket>.localstack',
    async () => {
      const env = cdklocalEnvironment({ endpoint: `http://${alias}:${s3Port}`, baseEnv: {} });
      delete env.CDK_S3_FORCE_PATH_STYLE;
      const { exitCode, output } = await publish(env);

      expect(exitCode).not.toBe(0);
      expect(output).toContain(`getaddrinfo ENOTFOUND ${bucket}.${alias}`);
      expect(await stored()).toEqual([]);
    },
    6 * 60_000,
  );
});
