// deploy:aws and destroy:aws after (and around) the CDK CLI, against a stand-in for the AWS APIs
// they call (support/aws-stand-in.ts): real SDK clients, real HTTP, real shared config files. The
// CDK CLI itself cannot run without an account; destroy takes it as a function here.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { identityForCdk } from '../../infra/deploy/aws-identity';
import { completeAwsDeployment } from '../../infra/deploy/deploy-aws';
import { destroyAwsStack, retainedResourcesText } from '../../infra/deploy/destroy-aws';
import type { StackOutputs } from '../../infra/stack-outputs';
import { type AwsStandIn, startAwsStandIn } from './support/aws-stand-in';

const DEV_KEY = 'AKIADEVPROFILE000001';
const DEFAULT_KEY = 'AKIADEFAULTPROFILE01';
const ENV_KEY = 'AKIAFROMENVIRONMENT1';

let dir: string;
let aws: AwsStandIn;
let envFile: string;
const savedEnv = { ...process.env };

let outputs: StackOutputs;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aws-scripts-'));
  // Two profiles with different keys, plus keys in the environment: only the right one may be used.
  const credentials = path.join(dir, 'credentials');
  const config = path.join(dir, 'config');
  await writeFile(
    credentials,
    `[default]\naws_access_key_id = ${DEFAULT_KEY}\naws_secret_access_key = d\n\n` +
      `[dev]\naws_access_key_id = ${DEV_KEY}\naws_secret_access_key = s\n`,
  );
  await writeFile(config, '[default]\nregion = us-west-1\n\n[profile dev]\nregion = eu-west-2\n');
  aws = await startAwsStandIn({
    apiKey: { id: 'key42', value: 'the-new-key-value-0123456789', enabled: true },
    stack: undefined,
    events: [],
  });
  outputs = {
    ApiId: 'abc123',
    Stage: 'prod',
    // Not an execute-api URL (the stand-in serves it), so the region comes from the profile.
    ApiUrl: `${aws.url}/prod/events`,
    ApiKeyId: 'key42',
    BucketName: 'pushpipeline-eventsbucket-1a2b3c',
    FunctionName: 'PushPipeline-IngestFunction-1',
    LogGroupName: 'PushPipeline-IngestLogs-1',
  };
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AWS_') || name.startsWith('AMAZON_')) delete process.env[name];
  }
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_CONFIG_FILE: config,
    AWS_ACCESS_KEY_ID: ENV_KEY,
    AWS_SECRET_ACCESS_KEY: 'e',
    AWS_ENDPOINT_URL: aws.url,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
});
afterAll(async () => {
  process.env = savedEnv;
  await aws.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  aws.seen.length = 0;
  envFile = path.join(dir, `.env-${Math.random().toString(36).slice(2)}`);
});

const signed = () => aws.seen.filter((r) => r.service !== undefined);

describe('identityForCdk: the identity the CDK CLI resolves', () => {
  test('--profile in the cdk arguments, either spelling, wins over AWS_PROFILE', () => {
    const env = { AWS_PROFILE: 'ci' };
    expect(identityForCdk(['--profile', 'dev', '--require-approval', 'never'], env)).toEqual({
      profile: 'dev',
    });
    expect(identityForCdk(['--profile=dev'], env)).toEqual({ profile: 'dev' });
    expect(identityForCdk([], env)).toEqual({ profile: 'ci' });
    expect(identityForCdk([], { AWS_DEFAULT_PROFILE: 'old' })).toEqual({ profile: 'old' });
  });

  test('region from the environment in the CLI order, AWS_DEFAULT_REGION included', () => {
    expect(identityForCdk([], { AWS_DEFAULT_REGION: 'ap-south-1' })).toEqual({
      region: 'ap-south-1',
    });
    expect(identityForCdk([], { AWS_REGION: 'eu-north-1', AWS_DEFAULT_REGION: 'x' })).toEqual({
      region: 'eu-north-1',
    });
    expect(identityForCdk(['--profile'], {})).toEqual({});
  });
});

describe('deploy:aws after cdk deploy', () => {
  test('reads the key as the deploying profile, writes .env, and waits out the 403s of a new key', async () => {
    aws.state.events = [
      { status: 403, body: { message: 'Forbidden' } },
      { status: 403, body: { message: 'Forbidden' } },
      { status: 400, body: { message: 'The request body is an empty array' } },
    ];
    const waiting: string[] = [];
    const pipeline = await completeAwsDeployment(outputs, identityForCdk(['--profile', 'dev']), {
      envFile,
      readiness: { intervalMs: 10, timeoutMs: 5_000, onWaiting: (m) => waiting.push(m) },
    });

    expect(pipeline).toMatchObject({
      apiUrl: outputs.ApiUrl,
      apiKey: 'the-new-key-value-0123456789',
      bucket: outputs.BucketName,
      region: 'eu-west-2',
    });
    // The key lookup ran as profile dev, in its region: not the default profile, not the env keys.
    expect(signed()).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: '/apikeys/key42?includeValue=true',
        accessKeyId: DEV_KEY,
        region: 'eu-west-2',
        service: 'apigateway',
      }),
    ]);
    const probes = aws.seen.filter((r) => r.url === '/prod/events');
    expect(probes).toHaveLength(3);
    for (const probe of probes) {
      expect(probe.body).toBe('[]'); // an empty batch: refused with 400, nothing stored
      expect(probe.headers['x-api-key']).toBe('the-new-key-value-0123456789');
    }
    expect(waiting).toEqual([expect.stringMatching(/does not accept the new key yet \(HTTP 403/)]);
    const env = await readFile(envFile, 'utf8');
    expect(env).toBe(`API_URL=${outputs.ApiUrl}\nAPI_KEY=the-new-key-value-0123456789\n`);
  });

  test('gives up after its time limit with what to do, .env already written', async () => {
    aws.state.events = [{ status: 403, body: { message: 'Forbidden' } }];
    await expect(
      completeAwsDeployment(outputs, identityForCdk(['--profile', 'dev']), {
        envFile,
        readiness: { intervalMs: 20, timeoutMs: 200 },
      }),
    ).rejects.toThrow(
      /still refuses the new key after 0 s \(\d+ probes; last: HTTP 403 \{"message":"Forbidden"\}\)\. New keys usually work within a minute/,
    );
    expect(await readFile(envFile, 'utf8')).toContain('API_KEY=the-new-key-value-0123456789');
  });

  test('any answer but 403 ends the wait at once, a 5xx included (the gateway took the key)', async () => {
    aws.state.events = [{ status: 500, body: { message: 'Internal server error' } }];
    await completeAwsDeployment(outputs, identityForCdk(['--profile', 'dev']), {
      readiness: { intervalMs: 10, timeoutMs: 1_000 },
    });
    expect(aws.seen.filter((r) => r.url === '/prod/events')).toHaveLength(1);
  });
});

describe('destroy:aws', () => {
  const stack = () => ({
    name: 'PushPipeline',
    status: 'UPDATE_COMPLETE',
    outputs: { ...outputs },
  });
  const cdkRuns: (readonly string[])[] = [];
  const destroy = async (args: readonly string[]) => {
    cdkRuns.push(args);
    aws.state.stack = undefined; // the stack is gone once cdk destroy returns
  };
  beforeEach(() => {
    cdkRuns.length = 0;
  });

  /** The stack found and deleted as profile `dev`, with the .env lines of its API cleared. */
  const destroyedAsDev = () => ({
    found: true as const,
    stackName: 'PushPipeline',
    region: 'eu-west-2',
    profile: 'dev',
    bucket: outputs.BucketName,
    logGroup: outputs.LogGroupName,
    clearedEnv: ['API_URL', 'API_KEY'],
  });

  test('reads the outputs as the same profile first, deletes, and clears .env lines for that API', async () => {
    aws.state.stack = stack();
    await writeFile(
      envFile,
      `# mine\nAPI_URL=${outputs.ApiUrl}\nAPI_KEY=the-new-key-value-0123456789\nSTACK_NAME=PushPipeline\n`,
    );
    const destroyed = await destroyAwsStack({
      extraArgs: ['--profile', 'dev'],
      envFile,
      destroy,
    });

    expect(destroyed).toEqual(destroyedAsDev());
    expect(signed()).toEqual([
      expect.objectContaining({ accessKeyId: DEV_KEY, service: 'cloudformation' }),
    ]);
    expect(cdkRuns).toEqual([
      ['destroy', 'PushPipeline', '--force', '-c', 'stackName=PushPipeline', '--profile', 'dev'],
    ]);
    expect(await readFile(envFile, 'utf8')).toBe('# mine\nSTACK_NAME=PushPipeline\n');
  });

  test('uses the region cdk would: AWS_DEFAULT_REGION, which the SDK alone ignores', async () => {
    aws.state.stack = stack();
    const saved = process.env.AWS_DEFAULT_REGION;
    process.env.AWS_DEFAULT_REGION = 'ap-south-1';
    try {
      const destroyed = await destroyAwsStack({ envFile, destroy });
      expect(destroyed).toMatchObject({ found: true, region: 'ap-south-1' });
    } finally {
      if (saved === undefined) delete process.env.AWS_DEFAULT_REGION;
      else process.env.AWS_DEFAULT_REGION = saved;
    }
    expect(signed()).toEqual([
      expect.objectContaining({ accessKeyId: ENV_KEY, region: 'ap-south-1' }),
    ]);
  });

  test('leaves .env alone when it points at another API', async () => {
    aws.state.stack = stack();
    const other =
      'API_URL=https://zzz999.execute-api.eu-west-2.amazonaws.com/prod/events\nAPI_KEY=k\n';
    await writeFile(envFile, other);
    const destroyed = await destroyAwsStack({ extraArgs: ['--profile', 'dev'], envFile, destroy });
    expect(destroyed).toMatchObject({ found: true, clearedEnv: [] });
    expect(await readFile(envFile, 'utf8')).toBe(other);
  });

  test('a missing stack: nothing deleted, and the message says where it looked', async () => {
    aws.state.stack = undefined;
    const destroyed = await destroyAwsStack({ extraArgs: ['--profile', 'dev'], envFile, destroy });
    expect(destroyed).toEqual({
      found: false,
      stackName: 'PushPipeline',
      region: 'eu-west-2',
      profile: 'dev',
    });
    expect(cdkRuns).toEqual([]);
    expect(retainedResourcesText(destroyed)).toMatch(
      /No stack PushPipeline in eu-west-2 for this identity: nothing was deleted/,
    );
  });

  test('prints the real bucket and log group, with commands that remove every version', () => {
    const text = retainedResourcesText(destroyedAsDev());
    const aws = 'aws --profile dev --region eu-west-2';
    expect(text).toContain(
      `${aws} s3api list-object-versions --bucket ${outputs.BucketName} --no-paginate`,
    );
    expect(text).toContain('[Versions, DeleteMarkers][].{Key: Key, VersionId: VersionId}');
    expect(text).toContain(`${aws} s3api delete-objects --bucket ${outputs.BucketName}`);
    expect(text).toContain(`${aws} s3api delete-bucket --bucket ${outputs.BucketName}`);
    expect(text).toContain(`${aws} logs delete-log-group --log-group-name ${outputs.LogGroupName}`);
    expect(text).toContain('Removed API_URL and API_KEY from .env');
    expect(text).not.toMatch(/<BucketName>|rb --force/);
  });
});
