/**
 * Where the S3 conformance suite runs: the kit's own S3 endpoint (started here, the default), or
 * any S3 endpoint named by the environment, so the emulator is held to the same checks as
 * MinIO, LocalStack or AWS:
 *   S3_CONFORMANCE_ENDPOINT  http(s) URL of the endpoint (path-style), or `aws` for AWS itself
 *   S3_CONFORMANCE_BUCKET    bucket to use (default push-pipeline-conformance; created if absent)
 *   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION   credentials and region (for a
 *                            custom endpoint, test/test and us-east-1 when unset)
 * Every run works under its own key prefix and deletes what it wrote.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type S3Fixture, startS3 } from './support';

export interface ConformanceTarget {
  /** e.g. `the kit's S3 endpoint` or the URL given. */
  readonly name: string;
  readonly client: S3Client;
  readonly bucket: string;
  /** This run's key prefix, ending in "/". */
  readonly prefix: string;
  /** The endpoint is the kit's own (for the checks only it can be held to). */
  readonly isKit: boolean;
  close(): Promise<void>;
}

async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!(error instanceof S3ServiceException) || error.$metadata.httpStatusCode !== 404) {
      throw new Error(
        `S3 conformance: bucket ${bucket} cannot be used (${String(error)}); check S3_CONFORMANCE_BUCKET and the credentials`,
      );
    }
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

async function deletePrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    const keys = (page.Contents ?? []).flatMap((object) =>
      object.Key ? [{ Key: object.Key }] : [],
    );
    if (keys.length === 0) return;
    // Only for other endpoints: the kit's own is thrown away with its data directory.
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
}

export async function openConformanceTarget(): Promise<ConformanceTarget> {
  const endpoint = process.env.S3_CONFORMANCE_ENDPOINT?.trim();
  const prefix = `conformance-${Date.now()}-${randomUUID().slice(0, 8)}/`;
  if (!endpoint) {
    const s3: S3Fixture = await startS3('conformance');
    const bucket = 'conformance';
    await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
    return {
      name: `the kit's S3 endpoint (${s3.endpoint.url})`,
      client: s3.client,
      bucket,
      prefix,
      isKit: true,
      close: () => s3.close(),
    };
  }
  const onAws = endpoint === 'aws';
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const client = new S3Client({
    region,
    ...(onAws
      ? {}
      : {
          endpoint,
          forcePathStyle: true,
          credentials: {
            accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test',
            secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
          },
        }),
  });
  const bucket = process.env.S3_CONFORMANCE_BUCKET?.trim() || 'push-pipeline-conformance';
  await ensureBucket(client, bucket);
  return {
    name: onAws ? `AWS S3 (${region})` : endpoint,
    client,
    bucket,
    prefix,
    isKit: false,
    close: async () => {
      await deletePrefix(client, bucket, prefix);
      client.destroy();
    },
  };
}
