import { eventsTable } from '../model/events-table';

/**
 * What the usage plan is sized to. The throttle counts requests, and each request keeps one
 * function instance busy, so the steady rate a deployment can serve is its concurrency divided by
 * the time one request takes:
 *
 * - Lambda concurrency: the function reserves none, because reserving fails the deploy on the
 *   accounts that most need it (Lambda keeps 100 unreserved per account: "Configuring reserved
 *   concurrency", AWS Lambda Developer Guide), and new accounts start with a reduced
 *   concurrency quota ("Lambda quotas": 10 is what new accounts commonly report). When the
 *   function is throttled, API Gateway answers 500 {"message":"Internal server error"}, not 429
 *   (AWS Knowledge Center, "API Gateway internal server error": throttled back ends). So the plan
 *   assumes 10 instances: a bigger quota, or a reserved concurrency, lets you raise both numbers.
 * - Request time: a one-reading request is one S3 PUT (20-40 ms in region) plus the function's
 *   own work; 100 ms leaves room for S3's tail latency.
 * - S3: about 3,500 PUT/s per partitioned prefix ("Best practices design patterns: optimizing
 *   Amazon S3 performance"), and every reading of one hour shares the prefix dt=…/hour=…/. At the
 *   rate below that allows 35 readings per request. The throttle cannot count readings: full
 *   batches from every instance (10 × 16 writes in flight, ~30 ms each) can reach ~5,000 PUT/s;
 *   S3 then answers SlowDown, which the function turns into its 503 and producers retry, and S3
 *   adds partitions to a prefix under sustained load.
 *
 * Throttling and quotas in usage plans are applied on a best-effort basis ("Usage plans", API
 * Gateway Developer Guide): the quota bounds what a leaked key costs, AWS Budgets alerts on it.
 */
const capacity = {
  expectedConcurrency: 10,
  requestSeconds: 0.1,
  s3PutsPerSecondPerPrefix: 3500,
} as const;

/**
 * The deployed shape of the pipeline: route, API key, usage-plan throttle, limits and the function
 * that serves it. The CDK stack (infra/) and the embedded emulator (emulator/) both read this one
 * object, so local and deployed behaviour cannot drift.
 */
export const pipelineDefinition = {
  capacity,
  api: {
    name: 'push-pipeline',
    stage: 'prod',
    /** Routes served with Lambda proxy integration; anything else is 403 Missing Authentication Token. */
    routes: [{ path: '/events', method: 'POST' }],
    apiKeyRequired: true,
    apiKeyHeader: 'x-api-key',
    /**
     * Usage-plan throttle (see `capacity`): 100 requests/s steady, the rate 10 instances sustain at
     * 100 ms a request; a burst bucket of 10, as many requests as there are instances to take them
     * at once, so a burst is refused with a retryable 429 by the gateway rather than a 500 by a
     * throttled Lambda. The embedded emulator applies it too.
     */
    throttle: {
      rateLimit: capacity.expectedConcurrency / capacity.requestSeconds,
      burstLimit: capacity.expectedConcurrency,
    },
    /**
     * Usage-plan quota: requests per key per day. 100,000 one-reading requests cost about $0.90
     * at the list prices in infra/pricing.ts (full 500-reading batches: about $250, S3 PUTs at $5
     * per million readings); the rate alone would allow 8.6 million requests a day. Past it
     * API Gateway answers 429 {"message":"Limit Exceeded"} until the period resets (UTC midnight),
     * which producers do not retry. The embedded emulator does not count a quota.
     */
    quota: { limit: 100_000, period: 'DAY' },
    /** API Gateway REST refuses payloads above 10 MB before the function runs. */
    maxPayloadBytes: 10 * 1024 * 1024,
    /** API Gateway's default (and, for REST regional APIs, usual) integration timeout. */
    integrationTimeoutMs: 29_000,
  },
  function: {
    /** Entry file relative to the repository root, and its export: what Lambda and the emulator load. */
    entry: 'handler/index.ts',
    exportName: 'handler',
    runtime: 'nodejs24.x',
    architecture: 'arm64',
    /**
     * 512 MB: Lambda gives CPU in proportion to memory; JSON parsing and SDK signing of a 500-reading
     * batch stay well under a second there. 10 s covers a full batch at the store's concurrency with
     * S3 retries, and stays far below the gateway's 29 s so the client sees the function's own 503.
     */
    memoryMB: 512,
    timeoutSeconds: 10,
    bucketEnvVar: 'BUCKET_NAME',
    /**
     * esbuild settings of the bundle, for the CDK NodejsFunction and the emulator's Lambda host
     * alike: one minified CommonJS file with the AWS SDK inside (pinned, and present on emulators
     * that lack it), ESM entry points of dependencies preferred so they tree-shake, a source map.
     */
    bundling: {
      format: 'cjs',
      target: 'node24',
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
    },
  },
  storage: {
    /** Every reading is stored under this prefix (model/events-table.ts holds the key layout). */
    keyPrefix: eventsTable.keyPrefix,
  },
} as const;

export type PipelineDefinition = typeof pipelineDefinition;
