/**
 * Shared fixtures for the S3 endpoint tests: a started endpoint over a temp data directory and a
 * real SDK v3 client at its default settings (flexible checksums on), plus raw HTTP for what the
 * SDK cannot send (hand-made framing, traversal paths, disconnects).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CreateBucketCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { S3Endpoint, type StartedS3Endpoint } from '../../../emulator/s3';

export function clientFor(url: string): S3Client {
  return new S3Client({
    endpoint: url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `push-pipeline-s3-${label}-`));
}

export interface S3Fixture {
  readonly root: string;
  readonly dataDir: string;
  readonly endpoint: StartedS3Endpoint;
  readonly client: S3Client;
  close(): Promise<void>;
}

/**
 * A fresh endpoint for every test of the file (with `bucket` created, when given), handed to
 * `assign` before each test and closed after it.
 */
export function useS3(label: string, assign: (s3: S3Fixture) => void, bucket?: string): void {
  let current: S3Fixture | undefined;
  beforeEach(async () => {
    current = await startS3(label);
    if (bucket !== undefined)
      await current.client.send(new CreateBucketCommand({ Bucket: bucket }));
    assign(current);
  });
  afterEach(async () => {
    await current?.close();
  });
}

/** The S3 error a call fails with; a success or another error fails the test. */
export async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException))
    throw new Error(`expected an S3 error, got ${String(error)}`);
  return error;
}

/** An endpoint over `<temp root>/data`, so tests can check nothing lands beside the data dir. */
export async function startS3(label: string): Promise<S3Fixture> {
  const root = await makeTempDir(label);
  const dataDir = join(root, 'data');
  const endpoint = await new S3Endpoint({ dataDir, port: 0 }).start();
  const client = clientFor(endpoint.url);
  return {
    root,
    dataDir,
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await endpoint.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTP request with the path sent exactly as given (no normalisation, no encoding). */
export function rawRequest(
  url: string,
  options: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method: options.method,
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Every file path under `dir`, relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The `<Code>` of an S3 XML error document. */
export function errorCode(body: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

/** Deterministic pseudo-random bytes (no crypto needed, reproducible failures). */
export function patternBytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}
