/**
 * The identity `cdk deploy`/`cdk destroy` act as, so every AWS client the deploy scripts make uses
 * the same one: otherwise the stack is deployed with `--profile dev` and the key lookup runs with
 * whatever the default chain finds (another account, or none).
 */
export interface AwsIdentity {
  /** Shared-config profile: `--profile` given to cdk, else AWS_PROFILE / AWS_DEFAULT_PROFILE. */
  readonly profile?: string;
  /** Region from the environment, in the CDK CLI's order; unset: the profile's, as cdk does. */
  readonly region?: string;
}

/** The value of `--name value` or `--name=value` in CLI arguments (the last one wins, as in yargs). */
function flagValue(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  args.forEach((arg, i) => {
    if (arg === name) value = args[i + 1];
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
  });
  return value === undefined || value === '' || value.startsWith('-') ? undefined : value;
}

/**
 * The identity the CDK CLI (2.x) resolves for these arguments and environment: `--profile`,
 * else AWS_PROFILE, else AWS_DEFAULT_PROFILE; region from AWS_REGION, AMAZON_REGION,
 * AWS_DEFAULT_REGION, AMAZON_DEFAULT_REGION (the SDK alone reads only AWS_REGION), else the
 * profile's own region, which the SDK reads from the shared config when given the profile.
 */
export function identityForCdk(
  cdkArgs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): AwsIdentity {
  const pick = (...names: string[]) =>
    names.map((name) => env[name]?.trim()).find((value) => value !== undefined && value !== '');
  const profile = flagValue(cdkArgs, '--profile') ?? pick('AWS_PROFILE', 'AWS_DEFAULT_PROFILE');
  const region = pick('AWS_REGION', 'AMAZON_REGION', 'AWS_DEFAULT_REGION', 'AMAZON_DEFAULT_REGION');
  return {
    ...(profile !== undefined && { profile }),
    ...(region !== undefined && { region }),
  };
}

/**
 * Settings for an SDK v3 client acting as that identity. With a profile the SDK takes
 * credentials (and, when no region is given, the region) from that profile only, skipping
 * AWS_ACCESS_KEY_ID & co. as the CDK CLI does.
 */
export function awsClientConfig(
  identity: AwsIdentity,
  region: string | undefined = identity.region,
): { profile?: string; region?: string } {
  return {
    ...(identity.profile !== undefined && { profile: identity.profile }),
    ...(region !== undefined && { region }),
  };
}

/**
 * The region a client of that identity resolved: the CDK CLI falls back to us-east-1 when
 * neither the environment nor the profile names one, and so does this.
 */
export async function resolvedRegion(client: {
  config: { region: () => Promise<string> };
}): Promise<string> {
  try {
    return await client.config.region();
  } catch {
    return 'us-east-1';
  }
}
