/**
 * AWS list prices the cost estimates use (us-east-1, on-demand). Source: the AWS pricing pages
 * for API Gateway, Lambda and S3 (aws.amazon.com/api-gateway/pricing/, /lambda/pricing/,
 * /s3/pricing/), figures as of the date below. Prices change: re-check before quoting.
 */
export const pricing = {
  region: 'us-east-1',
  asOf: '2026-11-25',
  source: 'AWS pricing pages for Amazon API Gateway, AWS Lambda and Amazon S3 (us-east-1)',
  /** REST API requests, first 333 million per month. */
  apiGatewayRestPerMillionRequests: 3.5,
  /** Lambda requests. */
  lambdaPerMillionRequests: 0.2,
  /** Lambda duration on arm64 (Graviton), first 7.5 billion GB-s per month. */
  lambdaArmPerGbSecond: 0.0000133334,
  /** S3 Standard PUT, COPY, POST, LIST requests. */
  s3PutPer1000: 0.005,
  /** S3 Standard GET, SELECT and other requests. */
  s3GetPer1000: 0.0004,
} as const;

export interface CostAssumptions {
  /** Readings per HTTP request (1..500). */
  readonly batchSize: number;
  /** Function memory; the deployed value is pipelineDefinition.function.memoryMB. */
  readonly memoryMB: number;
  /** Billed duration of one invocation at that batch size (Lambda bills per 1 ms). */
  readonly durationMs: number;
  /** Share of readings that hit an existing key and cost a GetObject (retries); default 0. */
  readonly existingKeyRatio?: number;
}

export interface CostBreakdown {
  readonly requests: number;
  readonly apiGateway: number;
  readonly lambdaRequests: number;
  readonly lambdaDuration: number;
  readonly s3Put: number;
  readonly s3Get: number;
  readonly total: number;
}

/**
 * USD per million readings: one API Gateway request and one invocation per batch, one S3 PUT per
 * reading (plus a GET for each retried reading whose key exists). Excludes storage, data transfer
 * and CloudWatch Logs ingestion, and the free tiers.
 */
export function costPerMillionReadings(assumptions: CostAssumptions): CostBreakdown {
  const { batchSize, memoryMB, durationMs } = assumptions;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer (got ${batchSize})`);
  }
  if (memoryMB <= 0 || durationMs <= 0) {
    throw new Error('memoryMB and durationMs must be positive');
  }
  const readings = 1_000_000;
  const requests = readings / batchSize;
  const apiGateway = (requests / 1_000_000) * pricing.apiGatewayRestPerMillionRequests;
  const lambdaRequests = (requests / 1_000_000) * pricing.lambdaPerMillionRequests;
  const gbSeconds = requests * (Math.ceil(durationMs) / 1000) * (memoryMB / 1024);
  const lambdaDuration = gbSeconds * pricing.lambdaArmPerGbSecond;
  const s3Put = (readings / 1000) * pricing.s3PutPer1000;
  const s3Get = ((readings * (assumptions.existingKeyRatio ?? 0)) / 1000) * pricing.s3GetPer1000;
  const total = apiGateway + lambdaRequests + lambdaDuration + s3Put + s3Get;
  return { requests, apiGateway, lambdaRequests, lambdaDuration, s3Put, s3Get, total };
}
