// Test helper: the emulator's real S3 endpoint (HTTP on 127.0.0.1, files in a temp dir) and an
// SDK v3 client with default settings pointed at it. No SDK mocks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3Endpoint, type StartedS3Endpoint } from '../../emulator/s3';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface S3Fixture {
  readonly bucket: string;
  readonly dataDir: string;
  readonly client: S3Client;
  readonly url: string;
  readonly port: number;
  /** Stops the endpoint (storage "goes down"); files stay. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  listKeys(prefix?: string): Promise<string[]>;
  getText(key: string): Promise<string>;
  contentType(key: string): Promise<string | undefined>;
  /** Stops everything and removes the temp dir. */
  dispose(): Promise<void>;
}

export function s3ClientFor(url: string): S3Client {
  return new S3Client({
    endpoint: url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
}

/** `withoutListBucket`: answer missing keys with 403, as S3 does for the deployed function's role. */
export async function startS3Fixture(
  bucket = 'readings',
  options: { withoutListBucket?: boolean } = {},
): Promise<S3Fixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'handler-s3-'));
  let endpoint: StartedS3Endpoint = await new S3Endpoint({ dataDir, ...options }).start();
  let running = true;
  const { port, url } = endpoint;
  const client = s3ClientFor(url);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));

  return {
    bucket,
    dataDir,
    client,
    url,
    port,
    async stop() {
      if (running) await endpoint.stop();
      running = false;
    },
    async restart() {
      endpoint = await new S3Endpoint({ dataDir, port, ...options }).start();
      running = true;
    },
    async listKeys(prefix) {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2(
        { client },
        { Bucket: bucket, Prefix: prefix },
      )) {
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      }
      return keys.sort();
    },
    async getText(key) {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await out.Body?.transformToString('utf-8')) ?? '';
    },
    async contentType(key) {
      return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentType;
    },
    async dispose() {
      if (running) await endpoint.stop();
      running = false;
      client.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
