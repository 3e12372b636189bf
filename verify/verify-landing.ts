import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { pipelineDefinition } from '../deployment/definition';
import { objectKeyFor } from '../model';
import { checkRecord } from './check-record';
import type { SentReading } from './report-file';

/** Outcomes meaning the server stored the reading (a duplicate was stored by an earlier attempt). */
const storedOutcomes = new Set(['acked', 'duplicate']);

export interface VerifyOptions {
  /** S3 client settings (a target's `s3`), or a client to use as is. */
  s3: S3ClientConfig | S3Client;
  bucket: string;
  /** What the producer sent (readProducerReport), or plain readings all expected to be stored. */
  readings: readonly SentReading[];
  /** Default: the definition's key prefix. */
  prefix?: string;
  /** Concurrent GETs. Default 16. */
  concurrency?: number;
}

export interface VerifyReport {
  /** Readings the server confirmed (acked or duplicate): each must be stored exactly once. */
  expected: number;
  /** Of those, stored once, at the right key, with the right content. */
  verified: number;
  missing: { id: string; key: string }[];
  /** More than one object for one id (anywhere under the prefix). */
  duplicated: { id: string; keys: string[] }[];
  /** Not JSON, wrong content type or not the stored-record shape. */
  malformed: { id: string; key: string; reason: string }[];
  /** Valid shape but a derived field, an input field or the key is wrong. */
  mistransformed: { id: string; key: string; fields: string[]; reason: string }[];
  /** Readings whose fate the producer does not know (failed, aborted), and how many landed anyway. */
  unconfirmed: { total: number; landed: number };
  /** Ids under the prefix from readings not in this report (earlier runs). */
  otherObjects: number;
  /** True when some readings were confirmed and none is missing, duplicated, malformed or mistransformed. */
  ok: boolean;
}

interface Landed {
  keys: string[];
}

/**
 * Checks what landed in the bucket against what the producer sent: every confirmed reading is
 * stored exactly once under its key with the transformed content. Lists the whole prefix (so a
 * copy under another partition counts as a duplicate) and reads only the objects of this report.
 */
export async function verifyLanding(options: VerifyOptions): Promise<VerifyReport> {
  const client = options.s3 instanceof S3Client ? options.s3 : new S3Client(options.s3);
  try {
    const prefix = options.prefix ?? pipelineDefinition.storage.keyPrefix;
    const landed = await listLanded(client, options.bucket, prefix);
    const report: VerifyReport = {
      expected: 0,
      verified: 0,
      missing: [],
      duplicated: [],
      malformed: [],
      mistransformed: [],
      unconfirmed: { total: 0, landed: 0 },
      otherObjects: 0,
      ok: false,
    };
    const sentIds = new Set(options.readings.map((sent) => sent.reading.id.toLowerCase()));
    for (const id of landed.keys()) if (!sentIds.has(id)) report.otherObjects += 1;

    const limit = pLimit(options.concurrency ?? 16);
    const checked = new Set<string>();
    await Promise.all(
      options.readings.map((sent) =>
        limit(async () => {
          const id = sent.reading.id.toLowerCase();
          const keys = landed.get(id)?.keys ?? [];
          if (!storedOutcomes.has(sent.outcome)) {
            report.unconfirmed.total += 1;
            if (keys.length > 0) report.unconfirmed.landed += 1;
            // Landing is not promised for these, but landing twice is still a duplicate.
            if (keys.length > 1 && !checked.has(id)) {
              checked.add(id);
              report.duplicated.push({ id, keys: [...keys].sort() });
            }
            return;
          }
          // A reading listed twice in a report (a re-send) is checked once.
          if (checked.has(id)) return;
          checked.add(id);
          report.expected += 1;
          const expectedKey = objectKeyFor(sent.reading);
          const [key, ...more] = keys;
          if (key === undefined) {
            report.missing.push({ id, key: expectedKey });
            return;
          }
          if (more.length > 0) {
            report.duplicated.push({ id, keys: [...keys].sort() });
            return;
          }
          const object = await client.send(
            new GetObjectCommand({ Bucket: options.bucket, Key: key }),
          );
          const body = (await object.Body?.transformToString('utf-8')) ?? '';
          const verdict = checkRecord({
            expected: sent.reading,
            expectedKey,
            key,
            contentType: object.ContentType,
            body,
          });
          if (verdict.kind === 'ok') report.verified += 1;
          else if (verdict.kind === 'malformed')
            report.malformed.push({ id, key, reason: verdict.reason });
          else
            report.mistransformed.push({ id, key, fields: verdict.fields, reason: verdict.reason });
        }),
      ),
    );
    // Nothing confirmed proves nothing: a run whose every request failed is not a pass.
    report.ok =
      report.expected > 0 &&
      report.missing.length === 0 &&
      report.duplicated.length === 0 &&
      report.malformed.length === 0 &&
      report.mistransformed.length === 0;
    return report;
  } finally {
    if (!(options.s3 instanceof S3Client)) client.destroy();
  }
}

/** Every object under the prefix, grouped by the id in its name (`.../<id>.json`). */
async function listLanded(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<Map<string, Landed>> {
  const byId = new Map<string, Landed>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const { Key } of page.Contents ?? []) {
      if (Key === undefined) continue;
      const name = Key.slice(Key.lastIndexOf('/') + 1);
      const id = (name.endsWith('.json') ? name.slice(0, -'.json'.length) : name).toLowerCase();
      const entry = byId.get(id) ?? { keys: [] };
      entry.keys.push(Key);
      byId.set(id, entry);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return byId;
}
