import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { S3Settings } from '../../deployment/target';
import { eventsTable, parseObjectKey } from '../../model';
import type { ListedObject, ObjectSource } from './object-source';

/** The readings' objects of a bucket through the S3 API (LocalStack, any compatible endpoint). */
export function s3ObjectSource(
  settings: S3Settings,
  bucket: string,
  options: { concurrency?: number } = {},
): ObjectSource & { close(): void } {
  const client = new S3Client({ ...settings, maxAttempts: 5 });
  const limit = pLimit(options.concurrency ?? 32);
  return {
    description: `bucket ${bucket} at ${settings.endpoint ?? `S3 in ${settings.region}`}`,
    async list() {
      const objects: ListedObject[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: eventsTable.keyPrefix,
            ContinuationToken: token,
          }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key && parseObjectKey(object.Key)) {
            objects.push({ key: object.Key, tag: object.ETag ?? '' });
          }
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return objects;
    },
    read(keys) {
      return Promise.all(
        keys.map((key) =>
          limit(async () => {
            try {
              const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
              return await object.Body?.transformToString('utf8');
            } catch (error) {
              if (error instanceof Error && error.name === 'NoSuchKey') return undefined;
              throw error;
            }
          }),
        ),
      );
    },
    close() {
      client.destroy();
    },
  };
}
