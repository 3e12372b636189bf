// npm run destroy:aws [-- <cdk destroy args, e.g. --profile dev>]
// Deletes the stack. The bucket and log group are RETAINED on AWS: delete them yourself when the
// readings are no longer needed (the command prints how).
import { runCdk } from '../deploy/cdk-command';
import { defaultStackName } from '../stack-outputs';

async function main(): Promise<void> {
  const stackName = process.env.STACK_NAME ?? defaultStackName;
  await runCdk({
    cli: 'cdk',
    args: [
      'destroy',
      stackName,
      '--force',
      '-c',
      `stackName=${stackName}`,
      ...process.argv.slice(2),
    ],
  });
  console.log(
    `\nStack ${stackName} deleted. Its bucket (readings) and log group were retained; delete them with\n` +
      '  aws s3 rb s3://<BucketName> --force   (versioned: empty all versions first, e.g. in the console)\n' +
      '  aws logs delete-log-group --log-group-name <name>',
  );
}

main().catch((error: unknown) => {
  console.error(`destroy:aws failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
