/**
 * What every target of the pipeline yields (embedded emulator, LocalStack, any endpoint, AWS): the
 * producer, `npm run verify` and the integration suite need nothing else.
 */
export interface PipelineTarget {
  /** Full URL of the ingestion route, e.g. `http://127.0.0.1:4680/prod/events`. */
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly bucket: string;
  readonly s3: S3Settings;
  /** The function behind the route, to invoke directly through the Lambda API. */
  readonly functionName: string;
  readonly lambda: LambdaSettings;
}

/** How to reach the bucket with the AWS SDK v3: `new S3Client(settings)` takes it as is. */
export interface S3Settings {
  readonly region: string;
  /** An emulator's endpoint; unset on AWS (the SDK's own). */
  readonly endpoint?: string;
  readonly forcePathStyle: boolean;
  /** An emulator's dummy credentials; unset on AWS (the default credential chain). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * How to reach the Lambda API with the AWS SDK v3: `new LambdaClient(settings)` takes it as is
 * (`aws lambda invoke --endpoint-url <endpoint> --region <region>` for the CLI).
 */
export interface LambdaSettings {
  readonly region: string;
  /** An emulator's endpoint (the embedded gateway's port; LocalStack's edge); unset on AWS. */
  readonly endpoint?: string;
  /** An emulator's dummy credentials; unset on AWS (the default credential chain). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}
