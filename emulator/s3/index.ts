/**
 * S3-compatible endpoint for the embedded pipeline: path-style S3 over HTTP on loopback, objects
 * kept as plain files under a data directory (see data-layout.ts). Built like testcontainers:
 *
 *   const s3 = await new S3Endpoint({ dataDir }).start();
 *   new S3Client({ endpoint: s3.url, forcePathStyle: true, region: 'us-east-1', credentials });
 *   await s3.stop();
 */

import { mkdir, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { errorCode } from '../../model/error-code';
import { BucketStore } from './bucket-store';
import { DataLayout } from './data-layout';
import { hasErrnoCode } from './fs-util';
import { ObjectStore } from './object-store';
import { createS3Server, type S3FaultHook } from './server';

export type { S3FaultHook } from './server';

export interface S3EndpointOptions {
  /** Folder holding buckets and objects; created if missing, kept after stop(). */
  readonly dataDir: string;
  /** Port to listen on; 0 or undefined picks a free one. */
  readonly port?: number;
  /** Interface to listen on, 127.0.0.1 by default. */
  readonly host?: string;
  /**
   * Answer as S3 answers a caller without `s3:ListBucket` (the deployed function's role): a
   * GetObject or HeadObject of a missing key is 403 AccessDenied, not 404 NoSuchKey (S3 API
   * Reference, GetObject, "Permissions"). Default false.
   */
  readonly withoutListBucket?: boolean;
  /** Faults to inject into object calls (the emulator's fault injection). */
  readonly faults?: S3FaultHook;
}

export interface StartedS3Endpoint {
  /** e.g. http://127.0.0.1:4566 */
  readonly url: string;
  readonly port: number;
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  /** Closes the server and every connection (keep-alive ones too); the port is free afterwards. */
  stop(): Promise<void>;
}

export class S3Endpoint {
  readonly #options: S3EndpointOptions;

  constructor(options: S3EndpointOptions) {
    this.#options = options;
  }

  async start(): Promise<StartedS3Endpoint> {
    const host = this.#options.host ?? '127.0.0.1';
    const layout = new DataLayout(this.#options.dataDir);
    let prepare = () => {};
    const prepared = new Promise<void>((resolve) => {
      prepare = resolve;
    });
    const { server, settled } = createS3Server(
      { layout, buckets: new BucketStore(layout), objects: new ObjectStore(layout) },
      prepared,
      { withoutListBucket: this.#options.withoutListBucket ?? false },
      this.#options.faults,
    );
    // Listen first: if the port is taken, nothing in the data directory is touched.
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => {
        const hint =
          errorCode(error) === 'EADDRINUSE'
            ? ` Port ${this.#options.port} on ${host} is in use: stop what holds it, or pass port 0 for a free port.`
            : '';
        reject(new Error(`The S3 endpoint could not listen on ${host}.${hint}`, { cause: error }));
      });
      server.listen(this.#options.port ?? 0, host, () => resolve());
    });
    try {
      await mkdir(layout.dataDir, { recursive: true });
      await removeDeadTempFiles(layout);
    } catch (error) {
      server.close();
      server.closeAllConnections();
      throw new Error(`The S3 endpoint could not prepare its data directory ${layout.dataDir}.`, {
        cause: error,
      });
    }
    prepare();
    const { port } = server.address() as AddressInfo;
    const urlHost = host.includes(':') ? `[${host}]` : host;

    let stopping: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${port}`,
      port,
      dataDir: layout.dataDir,
      stop: () => {
        stopping ??= (async () => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeAllConnections();
          await closed;
          await settled();
        })();
        return stopping;
      },
    };
  }
}

/**
 * Uploads and records that a killed process left half-written were never objects (the rename or
 * link that publishes them never happened): removed at start. Those of a live process (another
 * endpoint on the same data directory, e.g. `npm run verify` while `npm run dev` runs) are kept.
 */
async function removeDeadTempFiles(layout: DataLayout): Promise<void> {
  await mkdir(layout.tempDir, { recursive: true });
  const names = await readdir(layout.tempDir);
  await Promise.all(
    names.map(async (name) => {
      const owner = DataLayout.tempFileOwner(name);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) return;
      await rm(join(layout.tempDir, name), { recursive: true, force: true });
    }),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only checks that the process exists
    return true;
  } catch (error) {
    return hasErrnoCode(error, 'EPERM'); // it exists, owned by someone else
  }
}
