/**
 * Kills the S3 endpoint the way users' machines do: a child process serving a data directory
 * takes concurrent conditional PUTs (small and streamed bodies, content type, CRC32, user
 * metadata) and is SIGKILLed at random moments, then restarted on the same data, many times.
 * Afterwards every object that exists must be whole and every acknowledged PUT must exist.
 * Shared by the unit test (a few dozen kills) and the integration suite's long variant.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import * as esbuild from 'esbuild';
import pLimit from 'p-limit';
import { mulberry32 } from '../../../model/seeded-random';

export interface CrashRunOptions {
  readonly kills: number;
  /** Conditional PUTs in flight at once. */
  readonly concurrency: number;
  /** Each incarnation serves for a random time up to this before it is killed. */
  readonly maxUpMs: number;
  /** Replays a run; printed by the caller on failure. */
  readonly seed: number;
}

export interface CrashRunResult {
  readonly kills: number;
  /** Kills that struck while at least one PUT was in flight. */
  readonly killsWithPutsInFlight: number;
  readonly putsInterrupted: number;
  readonly acknowledged: number;
  /** Retries of an interrupted PUT that found the object already there (412). */
  readonly foundOnRetry: number;
  readonly objects: number;
  /** Everything wrong with the final state; empty when the store survived. */
  readonly problems: string[];
  /** What a restart left in `.tmp`: only the live process's own folder. */
  readonly tempEntriesAfterRestart: string[];
  readonly durationMs: number;
}

const Bucket = 'crash';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The content of key n: mostly small JSON, every 10th over the in-memory limit (streamed). */
function bodyOf(n: number): Buffer {
  const size = n % 10 === 7 ? 300 * 1024 + n : 100 + ((n * 37) % 1900);
  const head = `{"n":${n},"pad":"`;
  return Buffer.from(`${head}${'x'.repeat(size - head.length - 2)}"}`);
}
const keyOf = (n: number): string => `events/k-${String(n).padStart(6, '0')}.json`;
const metadataOf = (n: number): Record<string, string> => ({
  writer: `w${n % 16}`,
  n: String(n),
});
const crc32Of = (body: Buffer): string => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(body));
  return out.toString('base64');
};

/** The endpoint bundled into one file, so each restart costs a Node start and no compile. */
async function bundleEndpoint(dir: string): Promise<string> {
  const outfile = join(dir, 'endpoint-process.js');
  await esbuild.build({
    entryPoints: [join(__dirname, 'fixtures', 'endpoint-process.ts')],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    outfile,
    logLevel: 'silent',
  });
  await esbuild.stop(); // its service would keep the test process alive
  return outfile;
}

interface Incarnation {
  readonly child: ChildProcess;
  readonly client: S3Client;
  readonly exited: Promise<void>;
}

async function startChild(script: string, dataDir: string): Promise<Incarnation> {
  const child = spawn(process.execPath, [script, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)\n/.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`the endpoint process exited: ${stderr}`)));
  });
  const client = new S3Client({
    endpoint: url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1, // the harness retries itself, after the restart
  });
  return { child, client, exited };
}

export async function runCrashTest(options: CrashRunOptions): Promise<CrashRunResult> {
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), 'push-pipeline-s3-crash-'));
  const dataDir = join(root, 'data');
  const random = mulberry32(options.seed);
  const script = await bundleEndpoint(root);
  const acknowledged = new Set<number>();
  const foundOnRetry = new Set<number>();
  const retry: number[] = [];
  const problems: string[] = [];
  let next = 0;
  let inFlight = 0;
  let killsWithPutsInFlight = 0;
  let putsInterrupted = 0;

  const put = async (client: S3Client, n: number): Promise<'done' | 'interrupted'> => {
    const Body = bodyOf(n);
    inFlight += 1;
    try {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: keyOf(n),
          Body,
          IfNoneMatch: '*',
          ContentType: 'application/json',
          ChecksumAlgorithm: 'CRC32',
          Metadata: metadataOf(n),
        }),
      );
      acknowledged.add(n);
      return 'done';
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412) {
        foundOnRetry.add(n);
        return 'done';
      }
      if (error instanceof S3ServiceException) {
        problems.push(`PUT ${keyOf(n)} answered ${error.$metadata.httpStatusCode} ${error.name}`);
        return 'done';
      }
      retry.push(n); // the connection died with the process: not acknowledged, try again
      putsInterrupted += 1;
      return 'interrupted';
    } finally {
      inFlight -= 1;
    }
  };

  /** Workers PUT until the process dies (or, when draining, until the retries are done). */
  const drive = (client: S3Client, draining: boolean): Promise<unknown> =>
    Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (;;) {
          const n = retry.shift() ?? (draining ? undefined : next++);
          if (n === undefined) return;
          if ((await put(client, n)) === 'interrupted') return;
        }
      }),
    );

  let tempEntriesAfterRestart: string[] = [];
  let objects = 0;
  try {
    let current = await startChild(script, dataDir);
    await current.client.send(new CreateBucketCommand({ Bucket }));
    for (let kill = 0; kill < options.kills; kill++) {
      const driving = drive(current.client, false);
      await new Promise((resolve) => setTimeout(resolve, 1 + (random() % options.maxUpMs)));
      if (inFlight > 0) killsWithPutsInFlight += 1;
      current.child.kill('SIGKILL');
      await current.exited;
      await driving;
      current.client.destroy();
      current = await startChild(script, dataDir);
    }
    // The last incarnation lives: every interrupted PUT is retried to the end.
    while (retry.length > 0) await drive(current.client, true);
    tempEntriesAfterRestart = await readdir(join(dataDir, '.tmp'));
    objects = await checkObjects(current.client, next, acknowledged, problems, options.concurrency);
    current.client.destroy();
    current.child.kill('SIGKILL');
    await current.exited;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return {
    kills: options.kills,
    killsWithPutsInFlight,
    putsInterrupted,
    acknowledged: acknowledged.size,
    foundOnRetry: foundOnRetry.size,
    objects,
    problems,
    tempEntriesAfterRestart,
    durationMs: performance.now() - started,
  };
}

/** Lists the bucket and reads every object, as many at once as were written; returns the count. */
async function checkObjects(
  client: S3Client,
  attempted: number,
  acknowledged: ReadonlySet<number>,
  problems: string[],
  concurrency: number,
): Promise<number> {
  const listed = new Set<string>();
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
    for (const object of page.Contents ?? []) if (object.Key) listed.add(object.Key);
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken !== undefined);

  for (const n of acknowledged) {
    if (!listed.has(keyOf(n))) problems.push(`acknowledged ${keyOf(n)} is missing`);
  }
  const checkOne = async (n: number): Promise<void> => {
    const got = await client.send(
      new GetObjectCommand({ Bucket, Key: keyOf(n), ChecksumMode: 'ENABLED' }),
    );
    const body = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    const wrong: string[] = [];
    if (!body.equals(bodyOf(n))) wrong.push(`content (${body.length} bytes)`);
    if (got.ContentType !== 'application/json') wrong.push(`content type ${got.ContentType}`);
    if (got.ChecksumCRC32 !== crc32Of(bodyOf(n))) wrong.push(`checksum ${got.ChecksumCRC32}`);
    if (JSON.stringify(got.Metadata) !== JSON.stringify(metadataOf(n))) {
      wrong.push(`metadata ${JSON.stringify(got.Metadata)}`);
    }
    if (wrong.length > 0) problems.push(`${keyOf(n)} is not whole: ${wrong.join(', ')}`);
  };
  const limit = pLimit(concurrency);
  const stored = Array.from({ length: attempted }, (_, n) => n).filter((n) => listed.has(keyOf(n)));
  await Promise.all(stored.map((n) => limit(() => checkOne(n))));
  if (listed.size !== attempted) {
    problems.push(`${listed.size} objects listed, ${attempted} keys were PUT until acknowledged`);
  }
  return listed.size;
}
