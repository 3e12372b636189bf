// npm run deploy:local — from the host, into LocalStack at AWS_ENDPOINT_URL (default
// http://localhost:4566, e.g. `docker compose up -d localstack`); writes API_URL and API_KEY to .env.
import * as path from 'node:path';
import { repoRoot } from '../deployment/repo-root';
import { maskSecret } from '../infra/deploy/deployed-pipeline';
import { deployToEndpoint } from '../localstack/deploy-to-endpoint';

async function main(): Promise<void> {
  const endpoint = process.env.AWS_ENDPOINT_URL || 'http://localhost:4566';
  const envFile = path.join(repoRoot, '.env');
  const pipeline = await deployToEndpoint({
    endpoint,
    envFile,
    stackName: process.env.STACK_NAME,
    region: process.env.AWS_REGION,
    // From the host the emulator is either up already or not started at all.
    healthTimeoutMs: 10_000,
  });
  console.log(`\nDeployed into ${endpoint}. Wrote API_URL and API_KEY to ${envFile}`);
  console.log(`  API_URL=${pipeline.apiUrl}`);
  console.log(`  API_KEY=${maskSecret(pipeline.apiKey)}  bucket=${pipeline.bucket}`);
  console.log(`  function ${pipeline.functionName} (Active)`);
  console.log('Send readings: npm run producer -- --n-events 50');
}

main().catch((error: unknown) => {
  console.error(`deploy:local failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
