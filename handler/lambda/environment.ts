import { S3Client } from '@aws-sdk/client-s3';
import { pipelineDefinition } from '../../deployment/definition';
import type { ReadingStore } from '../store/reading-store';
import { createS3Store } from '../store/s3-store';

export type StoreResolution = { ok: true; store: ReadingStore } | { ok: false; message: string };

const TRUE_VALUES = new Set(['1', 'true', 'yes']);

/**
 * S3 client settings from the environment. The SDK itself reads AWS_ENDPOINT_URL_S3 /
 * AWS_ENDPOINT_URL, the region and credentials; path-style addressing is opt-in for emulators
 * whose host names cannot carry the bucket (AWS_S3_FORCE_PATH_STYLE=1/true).
 */
function clientSettings(env: NodeJS.ProcessEnv) {
  return {
    forcePathStyle: TRUE_VALUES.has((env.AWS_S3_FORCE_PATH_STYLE ?? '').toLowerCase()),
  };
}

/**
 * One client per container, created on first use. It is rebuilt only if the S3 settings in the
 * environment change (an in-process emulator may restart on another port), so connections and
 * resolved credentials are reused across invocations.
 */
let cached: { signature: string; client: S3Client; store: ReadingStore } | undefined;

function signatureOf(env: NodeJS.ProcessEnv, bucket: string): string {
  return JSON.stringify([
    bucket,
    env.AWS_ENDPOINT_URL_S3,
    env.AWS_ENDPOINT_URL,
    env.AWS_REGION,
    env.AWS_S3_FORCE_PATH_STYLE,
    env.AWS_ACCESS_KEY_ID,
  ]);
}

/** The store the entry uses: S3, bucket from BUCKET_NAME (deployment/definition.ts). */
export function storeFromEnvironment(env: NodeJS.ProcessEnv = process.env): StoreResolution {
  const variable = pipelineDefinition.function.bucketEnvVar;
  const bucket = env[variable]?.trim();
  if (!bucket) {
    return {
      ok: false,
      message: `The function is not configured: set ${variable} to the S3 bucket readings are written to`,
    };
  }
  const signature = signatureOf(env, bucket);
  if (cached?.signature !== signature) {
    cached?.client.destroy();
    const client = new S3Client(clientSettings(env));
    cached = { signature, client, store: createS3Store({ client, bucket }) };
  }
  return { ok: true, store: cached.store };
}
