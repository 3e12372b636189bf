/** How to reach S3 with the AWS SDK v3 (`new S3Client(settings)` accepts it as is). */
export interface S3Settings {
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * What every target of the pipeline yields (embedded emulator, LocalStack, an endpoint, AWS):
 * the producer and the integration suite need nothing else.
 */
export interface PipelineTarget {
  /** Full URL of the ingestion route, e.g. `http://127.0.0.1:4680/prod/events`. */
  apiUrl: string;
  apiKey: string;
  bucket: string;
  s3: S3Settings;
}
