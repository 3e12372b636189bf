// npm run deploy:compose — the compose `deploy` service: deploys into the `localstack` service
// and writes API_URL and API_KEY to the volume the `producer` service reads.
import { maskSecret } from '../../infra/deploy/deployed-pipeline';
import { deployToEndpoint } from '../deploy-to-endpoint';

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
}

main().catch((error: unknown) => {
  console.error(`deploy:compose failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
