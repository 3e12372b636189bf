// npm run deploy:aws [-- <cdk deploy args, e.g. --profile dev --require-approval never>]
// Deploys to the account/region of your AWS credentials (STACK_NAME overrides the stack name),
// reads the API key as that same identity (--profile reaches every AWS call), writes API_URL and
// API_KEY to .env, and waits until the API accepts the new key.
import * as path from 'node:path';
import { repoRoot } from '../deployment/repo-root';
import { deployToAws } from '../infra/deploy/deploy-aws';
import { maskSecret } from '../infra/deploy/deployed-pipeline';

async function main(): Promise<void> {
  const envFile = path.join(repoRoot, '.env');
  const pipeline = await deployToAws({
    envFile,
    stackName: process.env.STACK_NAME,
    extraArgs: process.argv.slice(2),
    readiness: { onWaiting: (message) => console.log(message) },
  });
  console.log(`\nDeployed, and the API accepts the key. Wrote API_URL and API_KEY to ${envFile}`);
  console.log(`  API_URL=${pipeline.apiUrl}`);
  console.log(`  API_KEY=${maskSecret(pipeline.apiKey)}  bucket=${pipeline.bucket}`);
  console.log('Send readings: npm run producer -- --n-events 50');
}

main().catch((error: unknown) => {
  console.error(`deploy:aws failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
