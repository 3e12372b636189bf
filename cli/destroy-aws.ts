// npm run destroy:aws [-- <cdk destroy args, e.g. --profile dev>]
// Reads the stack's outputs, deletes the stack as the same identity, removes API_URL/API_KEY from
// .env when they point at the deleted API, and prints the retained bucket and log group (RETAINED
// on AWS: the readings are the product) with the commands that delete them.
import * as path from 'node:path';
import { repoRoot } from '../deployment/repo-root';
import { destroyAwsStack, retainedResourcesText } from '../infra/deploy/destroy-aws';

async function main(): Promise<void> {
  const destroyed = await destroyAwsStack({
    stackName: process.env.STACK_NAME,
    extraArgs: process.argv.slice(2),
    envFile: path.join(repoRoot, '.env'),
  });
  console.log(`\n${retainedResourcesText(destroyed)}`);
}

main().catch((error: unknown) => {
  console.error(`destroy:aws failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
