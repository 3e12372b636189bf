import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { objectKeyFor, type Reading } from '../../model';

/** Read-side view of the target's bucket, for checking what landed (and what did not). */
export class Bucket {
  private readonly client: S3Client;

  constructor(
    config: S3ClientConfig,
    readonly name: string,
  ) {
    this.client = new S3Client(config);
  }

  /** The stored bytes of a key, or undefined when there is no such object. */
  async read(key: string): Promise<string | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.name, Key: key }));
      return await object.Body?.transformToString('utf8');
    } catch (error) {
      if (error instanceof Error && error.name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /** Whether the reading's object exists under the key the contract gives it. */
  async has(reading: Pick<Reading, 'id' | 'epoch'>): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.name, Key: objectKeyFor(reading) }),
      );
      return true;
    } catch (error) {
      if (error instanceof NotFound || (error instanceof Error && error.name === 'NotFound')) {
        return false;
      }
      throw error;
    }
  }

  /** Every key under a prefix (all pages). */
  async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.name, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  destroy(): void {
    this.client.destroy();
  }
}
