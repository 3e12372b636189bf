/** What an operation handler gets for one request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BucketStore } from './bucket-store';
import type { DataLayout } from './data-layout';
import type { ObjectStore } from './object-store';

export interface Stores {
  readonly layout: DataLayout;
  readonly buckets: BucketStore;
  readonly objects: ObjectStore;
}

export interface RequestContext extends Stores {
  /** A missing key is 403 AccessDenied, as S3 answers a caller without s3:ListBucket. */
  readonly withoutListBucket?: boolean;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The client sent `Expect: 100-continue` and waits for acceptBody() before sending. */
  readonly expectsContinue: boolean;
  /**
   * Lets a client that sent `Expect: 100-continue` send its body. Handlers call it once their
   * cheap checks pass, so a doomed upload (no bucket, key exists) is refused before it is sent.
   */
  acceptBody(): void;
}
