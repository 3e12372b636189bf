import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import type { GenericContainer } from 'testcontainers';
import { pipelineDefinition } from '../deployment/definition';
import { EmbeddedPipeline, type StartedPipeline, silentLogger } from '../emulator';
import { buildTarget, buildTimeoutMs, runToExit } from './images';

/**
 * The producer image against the embedded pipeline running in this (host) process, as the
 * original project's `docker compose run producer ...` against its pipeline.
 *
 * The container reaches the host by the name testcontainers uses, host.testcontainers.internal,
 * mapped to the engine's `host-gateway` rather than through TestContainers.exposeHostPorts: that
 * needs the testcontainers/sshd image, which cannot be pulled where Docker Hub is unreachable
 * (this workplace and its CI). host-gateway is the bridge's address on the host (Linux) or the
 * host itself (Docker Desktop), so the pipeline listens on all interfaces, for this test only.
 */
describe('producer image against the embedded pipeline on the host', () => {
  const hostName = 'host.testcontainers.internal';
  let image: GenericContainer;
  let dataDir: string;
  let pipeline: StartedPipeline;

  beforeAll(async () => {
    image = await buildTarget('producer');
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-containers-'));
    pipeline = await new EmbeddedPipeline({
      dataDir,
      host: '0.0.0.0',
      logger: silentLogger,
    }).start();
  }, buildTimeoutMs);

  afterAll(async () => {
    await pipeline?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function storedKeys(): Promise<string[]> {
    // The pipeline binds 0.0.0.0; reach its S3 endpoint on loopback.
    const endpoint = new URL(pipeline.s3.endpoint);
    endpoint.hostname = '127.0.0.1';
    const client = new S3Client({ ...pipeline.s3, endpoint: endpoint.toString() });
    try {
      const keys: string[] = [];
      const pages = paginateListObjectsV2(
        { client },
        { Bucket: pipeline.bucket, Prefix: pipelineDefinition.storage.keyPrefix },
      );
      for await (const page of pages) {
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      }
      return keys;
    } finally {
      client.destroy();
    }
  }

  test('50 readings sent by 5 workers from the container are acked and stored, one object each', async () => {
    const apiUrl = new URL(pipeline.apiUrl);
    apiUrl.hostname = hostName;
    const { exitCode, output } = await runToExit(
      image
        .withExtraHosts([{ host: hostName, ipAddress: 'host-gateway' }])
        .withCommand([
          '--api-url',
          apiUrl.toString(),
          '--api-key',
          pipeline.apiKey,
          '--n-events',
          '50',
          '--n-workers',
          '5',
          '--max-delay',
          '0',
          '--json',
          '--quiet',
        ]),
    );

    expect({ exitCode, output }).toEqual({ exitCode: 0, output: expect.any(String) });
    // --json prints the summary as one line on stdout (the output also holds stderr).
    const summaryLine = output.split('\n').findLast((line) => line.startsWith('{'));
    expect(summaryLine).toBeDefined();
    const summary: unknown = JSON.parse(summaryLine ?? '{}');
    expect(summary).toMatchObject({ sent: 50, acked: 50, failed: 0, stoppedBy: 'completed' });

    const keys = await storedKeys();
    expect(keys).toHaveLength(50);
    expect(new Set(keys).size).toBe(50);
  }, 120_000); // a container start and 50 readings: seconds, more on a busy shared machine
});
