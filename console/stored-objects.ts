import {
  GetObjectCommand,
  type ListObjectsV2CommandOutput,
  NoSuchKey,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { pipelineDefinition } from '../deployment/definition';
import type { S3Settings } from '../deployment/target';

export interface Partition {
  dt: string;
  hour: string;
  /** Key prefix of the partition, e.g. `events/dt=2026-11-30/hour=12/`. */
  prefix: string;
}

export interface ObjectEntry {
  key: string;
  size: number;
  lastModified: string | null;
}

export interface ObjectListing {
  prefix: string;
  /** Newest first, at most `limit`. */
  objects: ObjectEntry[];
  /** Keys looked at; the partition may hold more when `complete` is false. */
  scanned: number;
  complete: boolean;
}

export interface StoredObject {
  key: string;
  contentType: string | null;
  size: number;
  lastModified: string | null;
  etag: string | null;
  body: string;
}

/**
 * Past this many keys a partition is not listed further (newest first is among those seen): the
 * listing runs in the emulator's process, and a few thousand keys keep it to a blink.
 */
const MAX_SCAN = 5_000;
/** The stored readings are small JSON documents; a bigger object is shown cut. */
const MAX_BODY_CHARS = 256 * 1024;

const PARTITION = /^dt=(\d{4}-\d{2}-\d{2})\/$/;
const HOUR = /^hour=(\d{2})\/$/;

/**
 * The bucket's objects by partition (`dt`, `hour`), read through the S3 API like any client:
 * the store's layout on disk is the S3 endpoint's business.
 */
export class StoredObjects {
  private readonly client: S3Client;
  private readonly keyPrefix = pipelineDefinition.storage.keyPrefix;

  constructor(
    s3: Required<S3Settings>,
    readonly bucket: string,
  ) {
    this.client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: s3.forcePathStyle,
      credentials: s3.credentials,
      maxAttempts: 2,
    });
  }

  /** Partitions, newest first (at most `maxDays` days). */
  async partitions(maxDays = 31): Promise<Partition[]> {
    const days = (await this.commonPrefixes(this.keyPrefix))
      .flatMap((p) => {
        const dt = PARTITION.exec(p.slice(this.keyPrefix.length))?.[1];
        return dt === undefined ? [] : [{ dt, prefix: p }];
      })
      .sort((a, b) => b.dt.localeCompare(a.dt))
      .slice(0, maxDays);
    const hours = await Promise.all(
      days.map(async ({ dt, prefix }) =>
        (await this.commonPrefixes(prefix)).flatMap((p) => {
          const hour = HOUR.exec(p.slice(prefix.length))?.[1];
          return hour === undefined ? [] : [{ dt, hour, prefix: p }];
        }),
      ),
    );
    return hours.flatMap((h) => h.sort((a, b) => b.hour.localeCompare(a.hour)));
  }

  /** A partition's objects, newest first. */
  async list(dt: string, hour: string, limit = 100): Promise<ObjectListing> {
    const prefix = `${this.keyPrefix}dt=${dt}/hour=${hour}/`;
    const seen: ObjectEntry[] = [];
    let complete = true;
    for await (const page of paginateListObjectsV2(
      { client: this.client, pageSize: 1000 },
      { Bucket: this.bucket, Prefix: prefix },
    )) {
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined) continue;
        seen.push({
          key: o.Key,
          size: o.Size ?? 0,
          lastModified: o.LastModified?.toISOString() ?? null,
        });
      }
      if (seen.length >= MAX_SCAN && page.IsTruncated === true) {
        complete = false;
        break;
      }
    }
    seen.sort(
      (a, b) =>
        (b.lastModified ?? '').localeCompare(a.lastModified ?? '') || a.key.localeCompare(b.key),
    );
    return { prefix, objects: seen.slice(0, limit), scanned: seen.length, complete };
  }

  /** One object with its body as text; undefined when there is no such key. */
  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = (await out.Body?.transformToString('utf8')) ?? '';
      const body = text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
      return {
        key,
        contentType: out.ContentType ?? null,
        size: out.ContentLength ?? Buffer.byteLength(text),
        lastModified: out.LastModified?.toISOString() ?? null,
        etag: out.ETag ?? null,
        body,
      };
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  close(): void {
    this.client.destroy();
  }

  private async commonPrefixes(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, Prefix: prefix, Delimiter: '/' },
    ) as AsyncIterable<ListObjectsV2CommandOutput>) {
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix !== undefined) out.push(p.Prefix);
    }
    return out;
  }
}
