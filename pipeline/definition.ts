import { eventsTable } from '../model/events-table';

/**
 * The deployed shape of the pipeline: route, API key, usage-plan throttle, limits and the function
 * that serves it. The CDK stack (infra/) and the embedded emulator (emulator/) both read this one
 * object, so local and deployed behaviour cannot drift.
 */
export const pipelineDefinition = {
  api: {
    name: 'push-pipeline',
    stage: 'prod',
    /** Routes served with Lambda proxy integration; anything else is 403 Missing Authentication Token. */
    routes: [{ path: '/events', method: 'POST' }],
    apiKeyRequired: true,
    apiKeyHeader: 'x-api-key',
    /** Usage-plan throttle: steady requests per second and bucket size. */
    throttle: { rateLimit: 1000, burstLimit: 2000 },
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
