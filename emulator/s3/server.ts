/**
 * The HTTP server: request ids, routing to the operation handlers, and the error boundary that
 * turns every failure into an S3 error answer (never a crash). Signatures are not verified: any
 * credentials are accepted, as the endpoint only listens on loopback for local development.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorCode } from '../../model/error-code';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  headBucket,
  listBuckets,
} from './bucket-api';
import type { RequestContext, Stores } from './context';
import { S3Error, s3Errors } from './errors';
import { sendError } from './http-response';
import { listObjects, listObjectsV2 } from './list-api';
import { deleteObject, getObject, headObject, putObject } from './object-api';
import { parseRoute } from './route';

/**
 * Faults to inject into an object call (see emulator/faults): wait `delayMs`, then answer this
 * status (503 SlowDown, 500 InternalError) without doing the operation, or do it.
 */
export type S3FaultHook = (
  operation: 'put' | 'get' | 'head' | 'list' | 'delete',
  call: string,
) => { readonly delayMs: number; readonly status: 500 | 503 | undefined };

const FAULT_OPERATIONS = {
  PutObject: 'put',
  GetObject: 'get',
  HeadObject: 'head',
  ListObjectsV2: 'list',
  ListObjects: 'list',
  DeleteObject: 'delete',
} as const;

export interface S3Server {
  readonly server: Server;
  /** Resolves once every request handler has finished (including temp-file cleanup). */
  settled(): Promise<void>;
}

async function dispatch(ctx: RequestContext, faults: S3FaultHook | undefined): Promise<void> {
  const route = parseRoute(ctx.req.method ?? 'GET', ctx.req.url ?? '/');
  const faultOperation =
    faults && FAULT_OPERATIONS[route.operation as keyof typeof FAULT_OPERATIONS];
  if (faults !== undefined && faultOperation !== undefined) {
    const resource =
      'key' in route ? `${route.bucket}/${route.key}` : 'bucket' in route ? route.bucket : '';
    const { delayMs, status } = faults(faultOperation, `${route.operation} ${resource}`);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (status === 503) throw s3Errors.slowDown();
    if (status === 500) throw s3Errors.internal();
  }
  switch (route.operation) {
    case 'ListBuckets':
      return listBuckets(ctx);
    case 'CreateBucket':
      return createBucket(ctx, route.bucket);
    case 'HeadBucket':
      return headBucket(ctx, route.bucket);
    case 'DeleteBucket':
      return deleteBucket(ctx, route.bucket);
    case 'GetBucketLocation':
      return getBucketLocation(ctx, route.bucket);
    case 'ListObjectsV2':
      return listObjectsV2(ctx, route.bucket, route.query);
    case 'ListObjects':
      return listObjects(ctx, route.bucket, route.query);
    case 'PutObject':
      return putObject(ctx, route.bucket, route.key);
    case 'GetObject':
      return getObject(ctx, route.bucket, route.key, route.query);
    case 'HeadObject':
      return headObject(ctx, route.bucket, route.key, route.query);
    case 'DeleteObject':
      return deleteObject(ctx, route.bucket, route.key);
  }
}

/** `ready`: requests wait for it (the data directory is being prepared meanwhile). */
export function createS3Server(
  stores: Stores,
  ready: Promise<void>,
  permissions: { readonly withoutListBucket: boolean } = { withoutListBucket: false },
  faults?: S3FaultHook,
): S3Server {
  const inFlight = new Set<Promise<void>>();
  // Request ids: a random per-server prefix and a counter (unique, and free in the hot path).
  const idPrefix = randomBytes(4).toString('hex').toUpperCase();
  let requestCount = 0;

  const handle = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void => {
    requestCount += 1;
    const requestId = idPrefix + requestCount.toString(16).toUpperCase().padStart(8, '0');
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', requestId);
    res.setHeader('server', 'push-pipeline-s3');
    let continued = !expectsContinue;
    const ctx: RequestContext = {
      ...stores,
      ...permissions,
      req,
      res,
      expectsContinue,
      acceptBody: () => {
        if (continued) return;
        continued = true;
        res.writeContinue();
      },
    };
    const done = ready
      .then(() => dispatch(ctx, faults))
      .catch((error: unknown) => {
        // The client went away (mid-upload or mid-download): nobody to answer, nothing to log.
        if (req.socket.destroyed || errorCode(error) === 'ECONNRESET') {
          res.destroy();
          return;
        }
        if (res.headersSent) {
          console.error('[s3 emulator] failed while sending a body:', error);
          res.destroy(); // cut the answer short so the client sees the failure
          return;
        }
        const s3Error = error instanceof S3Error ? error : s3Errors.internal();
        if (!(error instanceof S3Error)) console.error('[s3 emulator] internal error:', error);
        // The client is waiting for 100 Continue before sending its body, which is no longer
        // wanted: close after answering rather than leave the connection half-used.
        const headers = continued ? {} : { connection: 'close' };
        const resource = (req.url ?? '/').split('?')[0] ?? '/';
        sendError(res, s3Error, { method: req.method ?? 'GET', resource, requestId }, headers);
      })
      .catch((error: unknown) => {
        console.error('[s3 emulator] could not send an answer:', error);
        res.destroy();
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  const server = createServer((req, res) => handle(req, res, false));
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => handle(req, res, true));
  return {
    server,
    settled: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
