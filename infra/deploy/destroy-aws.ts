import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { removeFromEnvFile } from '../../deployment/env-file';
import { defaultStackName } from '../stack-outputs';
import { awsClientConfig, identityForCdk, resolvedRegion } from './aws-identity';
import { runCdk } from './cdk-command';
import { describeStack } from './find-deployed';

export interface DestroyAwsOptions {
  readonly stackName?: string;
  /** Further `cdk destroy` arguments, e.g. ['--profile', 'dev']; the outputs are read as that profile too. */
  readonly extraArgs?: readonly string[];
  /** The kit's env file: API_URL and API_KEY are removed when they point at the deleted API. */
  readonly envFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Runs `cdk destroy` with these arguments; default the pinned CLI. */
  readonly destroy?: (args: readonly string[]) => Promise<void>;
}

interface Where {
  readonly stackName: string;
  readonly region: string;
  /** The profile the stack was looked up and deleted with, if any. */
  readonly profile: string | undefined;
}

export type DestroyedStack =
  | (Where & { readonly found: false })
  | (Where & {
      readonly found: true;
      /** Retained on AWS: the readings. */
      readonly bucket: string | undefined;
      /** Retained on AWS: the function's logs (absent from stacks deployed before this output). */
      readonly logGroup: string | undefined;
      /** The env-file keys removed because they pointed at the deleted API. */
      readonly clearedEnv: readonly string[];
    });

/**
 * Deletes the stack as the identity `cdk destroy` uses, after reading its outputs (they are gone
 * with the stack): the names of the retained bucket and log group, and the API that .env may still
 * point at.
 */
export async function destroyAwsStack(options: DestroyAwsOptions = {}): Promise<DestroyedStack> {
  const stackName = options.stackName ?? defaultStackName;
  const extra = options.extraArgs ?? [];
  const identity = identityForCdk(extra, options.env ?? process.env);
  const cloudFormation = new CloudFormationClient(awsClientConfig(identity));
  let region: string;
  let outputs: Record<string, string> | undefined;
  try {
    region = await resolvedRegion(cloudFormation);
    const stack = await describeStack(cloudFormation, stackName);
    outputs =
      stack &&
      Object.fromEntries(
        (stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
      );
  } finally {
    cloudFormation.destroy();
  }
  const where = { stackName, region, profile: identity.profile };
  if (outputs === undefined) return { found: false, ...where };

  const destroy =
    options.destroy ??
    ((args: readonly string[]) => runCdk({ cli: 'cdk', args: [...args], env: options.env }));
  await destroy(['destroy', stackName, '--force', '-c', `stackName=${stackName}`, ...extra]);

  const { ApiUrl: apiUrl, ApiId: apiId } = outputs;
  const clearedEnv =
    options.envFile === undefined
      ? []
      : await removeFromEnvFile(options.envFile, ['API_URL', 'API_KEY'], (vars) =>
          pointsAtApi(vars.API_URL, apiUrl, apiId),
        );
  return {
    found: true,
    ...where,
    bucket: outputs.BucketName || undefined,
    logGroup: outputs.LogGroupName || undefined,
    clearedEnv,
  };
}

/** Whether an API_URL value is the deleted API: its events URL, or any URL on its execute-api host. */
function pointsAtApi(
  value: string | undefined,
  apiUrl: string | undefined,
  apiId: string | undefined,
): boolean {
  if (!value) return false;
  if (apiUrl && value.replace(/\/+$/, '') === apiUrl.replace(/\/+$/, '')) return true;
  if (!apiId) return false;
  const host = URL.parse(value)?.hostname ?? '';
  return host.startsWith(`${apiId}.execute-api.`);
}

/**
 * What to tell the user after a destroy: which retained resources remain and how to delete them.
 * The bucket is versioned, so `aws s3 rb --force` cannot empty it (it leaves every old version and
 * delete marker): the loop deletes all versions and markers, one ListObjectVersions page (at most
 * 1,000, the most one DeleteObjects call takes) at a time, then the bucket.
 */
export function retainedResourcesText(destroyed: DestroyedStack): string {
  if (!destroyed.found) {
    return `No stack ${destroyed.stackName} in ${destroyed.region} for this identity: nothing was deleted. Check --profile, AWS_REGION and STACK_NAME.`;
  }
  const profile = destroyed.profile === undefined ? '' : ` --profile ${destroyed.profile}`;
  const aws = `aws${profile} --region ${destroyed.region}`;
  const lines = [`Stack ${destroyed.stackName} deleted (${destroyed.region}).`];
  if (destroyed.clearedEnv.length > 0) {
    lines.push(
      `Removed ${destroyed.clearedEnv.join(' and ')} from .env: they pointed at the deleted API.`,
    );
  }
  if (destroyed.bucket || destroyed.logGroup) {
    lines.push('Retained (the readings outlive the stack); delete them when no longer needed:');
  }
  if (destroyed.bucket) {
    const b = destroyed.bucket;
    lines.push(
      `  bucket ${b} (versioned: every object version and delete marker must go before the bucket):`,
      `    while v=$(${aws} s3api list-object-versions --bucket ${b} --no-paginate --output json \\`,
      `        --query '{Objects: [Versions, DeleteMarkers][].{Key: Key, VersionId: VersionId}, Quiet: \`true\`}') \\`,
      `      && printf '%s' "$v" | grep -q '"Key"'; do`,
      `      ${aws} s3api delete-objects --bucket ${b} --delete "$v" >/dev/null || break`,
      '    done',
      `    ${aws} s3api delete-bucket --bucket ${b}`,
    );
  }
  if (destroyed.logGroup) {
    lines.push(
      `  log group ${destroyed.logGroup}:`,
      `    ${aws} logs delete-log-group --log-group-name ${destroyed.logGroup}`,
    );
  } else {
    lines.push(
      "  the function's log group (this stack predates the LogGroupName output): find it in the CloudWatch console under the stack's name",
    );
  }
  return lines.join('\n');
}
