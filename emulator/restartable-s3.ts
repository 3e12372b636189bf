import { S3Endpoint, type S3FaultHook, type StartedS3Endpoint } from './s3';

/**
 * Outage hook for reliability tests: take the S3 endpoint away (connections refused) and bring it
 * back. Kept beside fault injection (pipeline.faults, which makes a serving endpoint answer
 * errors or slowly) because a stopped endpoint is a different failure: no answer at all.
 */
export interface StorageControl {
  readonly running: boolean;
  /** Closes the endpoint and its connections: the function then finds S3 unavailable. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory (the function's environment stays valid). */
  start(): Promise<void>;
}

/** The emulator's S3 endpoint, restartable on the port it first got. */
export class RestartableS3 implements StorageControl {
  readonly url: string;
  readonly port: number;
  private current: StartedS3Endpoint | undefined;

  private constructor(
    private readonly dataDir: string,
    private readonly host: string,
    private readonly faults: S3FaultHook | undefined,
    first: StartedS3Endpoint,
  ) {
    this.current = first;
    this.url = first.url;
    this.port = first.port;
  }

  static async start(options: {
    dataDir: string;
    host: string;
    port: number;
    faults?: S3FaultHook;
  }): Promise<RestartableS3> {
    const first = await new S3Endpoint(options).start();
    return new RestartableS3(options.dataDir, options.host, options.faults, first);
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  async stop(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.stop();
  }

  async start(): Promise<void> {
    if (this.current !== undefined) return;
    const { dataDir, host, port, faults } = this;
    this.current = await new S3Endpoint({ dataDir, host, port, faults }).start();
  }
}
