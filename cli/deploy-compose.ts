// npm run deploy:compose — the compose `deploy` service: deploys into the `localstack` service
// and writes API_URL and API_KEY to the volume the `producer` service reads; with HOST_ENV_FILE,
// also the host's .env (bind-mounted), with the URL the host reaches LocalStack at (HOST_ENDPOINT),
// so `npm run producer` and `npm run verify` on the host work against the stack at once.

import { producerEnv, verifyEnv, writeEnvFile } from '../deployment/env-file';
import { maskSecret } from '../infra/deploy/deployed-pipeline';
import { deployToEndpoint } from '../localstack/deploy-to-endpoint';
import { normalizeEndpoint } from '../localstack/endpoint';

async function main(): Promise<void> {
  const endpoint = process.env.LOCALSTACK_ENDPOINT || 'http://localstack:4566';
  const envFile = process.env.PIPELINE_ENV_FILE || '/shared/pipeline.env';
  const pipeline = await deployToEndpoint({
    endpoint,
    envFile,
    // The producer container runs as another user; the key is the emulator's throwaway.
    envFileMode: 0o644,
    stackName: process.env.STACK_NAME,
  });
  console.log(`Deployed into ${endpoint}; wrote ${envFile}`);
  console.log(`  API_URL=${pipeline.apiUrl}`);
  console.log(`  API_KEY=${maskSecret(pipeline.apiKey)}  bucket=${pipeline.bucket}`);

  const hostEnvFile = process.env.HOST_ENV_FILE;
  if (hostEnvFile) {
    const hostEndpoint = normalizeEndpoint(process.env.HOST_ENDPOINT || 'http://127.0.0.1:4566');
    const apiUrl = new URL(pipeline.apiUrl);
    const hostApiUrl = `${hostEndpoint}${apiUrl.pathname}`;
    await writeEnvFile(hostEnvFile, {
      ...producerEnv({ apiUrl: hostApiUrl, apiKey: pipeline.apiKey }),
      ...verifyEnv({ bucket: pipeline.bucket, s3: { endpoint: hostEndpoint } }),
    });
    console.log(`Wrote the host's .env: API_URL=${hostApiUrl} (npm run producer / npm run verify)`);
  }
}

main().catch((error: unknown) => {
  console.error(`deploy:compose failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
