import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { glueDatabaseName } from '../../infra/athena-names';
import { readStackOutputs, regionFromApiUrl } from '../../infra/deploy/outputs-file';
import { parseContextFlag, parseEnvironmentKind } from '../../infra/environment-kind';
import { parseStackOutputs, stackOutputNames } from '../../infra/stack-outputs';

const outputs = {
  ApiId: 'a1b2c3d4e5',
  Stage: 'prod',
  ApiUrl: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/events',
  ApiKeyId: 'k9k9k9k9k9',
  BucketName: 'pushpipeline-eventsbucket-xyz',
  FunctionName: 'PushPipeline-IngestFunction-abc',
  LogGroupName: 'PushPipeline-IngestLogs-abc',
};

describe('parseStackOutputs', () => {
  test('returns the named stack outputs from a cdk --outputs-file document', () => {
    const parsed = parseStackOutputs(
      { Other: { X: '1' }, PushPipeline: { ...outputs, Extra: 'y' } },
      'PushPipeline',
    );
    expect(parsed).toEqual(outputs);
    expect(Object.keys(parsed).sort()).toEqual([...stackOutputNames].sort());
  });

  test('names the stacks it found when the stack is missing', () => {
    expect(() => parseStackOutputs({ Other: {} }, 'PushPipeline')).toThrow(
      /no stack PushPipeline \(found: Other\)/,
    );
  });

  test('names missing or empty outputs and says to redeploy', () => {
    const { ApiKeyId: _dropped, ...rest } = outputs;
    expect(() => parseStackOutputs({ S: { ...rest, Stage: '' } }, 'S')).toThrow(
      /lacks outputs Stage, ApiKeyId; .*deploy it again/,
    );
  });

  test('refuses a document that is not stacks of outputs', () => {
    expect(() => parseStackOutputs(['x'], 'S')).toThrow(/not an object of stacks/);
    expect(() => parseStackOutputs({ S: 'x' }, 'S')).toThrow(/not an object of stacks/);
  });
});

describe('readStackOutputs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-outputs-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('reads the file cdk wrote', async () => {
    const file = path.join(dir, 'outputs.json');
    await writeFile(file, JSON.stringify({ PushPipeline: outputs }));
    await expect(readStackOutputs(file, 'PushPipeline')).resolves.toEqual(outputs);
  });

  test('explains a missing or broken file', async () => {
    await expect(readStackOutputs(path.join(dir, 'none.json'), 'S')).rejects.toThrow(
      /cannot read the cdk outputs file .*did cdk deploy finish/,
    );
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{"PushPipeline":');
    await expect(readStackOutputs(file, 'S')).rejects.toThrow(/is not JSON/);
  });
});

test('regionFromApiUrl reads the region of an execute-api URL', () => {
  expect(regionFromApiUrl(outputs.ApiUrl)).toBe('eu-west-1');
  expect(
    regionFromApiUrl('https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod/events'),
  ).toBe('cn-north-1');
  expect(() => regionFromApiUrl('http://localhost:4566/_aws/execute-api/abc/prod/events')).toThrow(
    /not an API Gateway invoke URL/,
  );
});

test('glueDatabaseName makes Athena-friendly names from stack names', () => {
  expect(glueDatabaseName('PushPipeline')).toBe('push_pipeline');
  expect(glueDatabaseName('PushPipeline-dev2')).toBe('push_pipeline_dev2');
  expect(glueDatabaseName('myPipelineTest')).toBe('my_pipeline_test');
});

test('environmentKind defaults to aws and refuses unknown kinds', () => {
  expect(parseEnvironmentKind(undefined)).toBe('aws');
  expect(parseEnvironmentKind('local')).toBe('local');
  expect(parseEnvironmentKind('aws')).toBe('aws');
  expect(() => parseEnvironmentKind('dev')).toThrow(/must be one of aws, local/);
});

test('context flags accept the strings -c gives', () => {
  expect(parseContextFlag('athena', 'true')).toBe(true);
  expect(parseContextFlag('athena', 'false')).toBe(false);
  expect(parseContextFlag('athena', false)).toBe(false);
  expect(parseContextFlag('athena', undefined)).toBeUndefined();
  expect(() => parseContextFlag('athena', 'yes')).toThrow(/context athena must be true or false/);
});
