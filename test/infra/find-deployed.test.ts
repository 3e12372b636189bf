import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findDeployedPipeline } from '../../infra/deploy/find-deployed';

// Stand-ins for CloudFormation (query protocol, XML) and API Gateway (REST JSON) on 127.0.0.1:
// no account or emulator exists here. The SDK clients, their serialisers and parsers are real.
let server: Server;
let endpoint: string;
let stackXml: string | undefined;
const seen: string[] = [];

const outputs: Record<string, string> = {
  ApiId: 'abc123',
  Stage: 'prod',
  ApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/events',
  ApiKeyId: 'key42',
  BucketName: 'pushpipeline-events-1',
  FunctionName: 'PushPipeline-Ingest-1',
  LogGroupName: 'PushPipeline-IngestLogs-1',
};

function stack(status: string, values: Record<string, string> = outputs): string {
  const members = Object.entries(values)
    .map(([k, v]) => `<member><OutputKey>${k}</OutputKey><OutputValue>${v}</OutputValue></member>`)
    .join('');
  return `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
<DescribeStacksResult><Stacks><member><StackName>PushPipeline</StackName>
<StackId>arn:aws:cloudformation:us-east-1:000000000000:stack/PushPipeline/1</StackId>
<CreationTime>2026-11-25T00:00:00Z</CreationTime><StackStatus>${status}</StackStatus>
<Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult>
<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeStacksResponse>`;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${body}`);
      if (req.method === 'GET' && req.url === '/apikeys/key42?includeValue=true') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ id: 'key42', value: 'local-key-value-0123456789', enabled: true }),
        );
      } else if (req.method === 'POST' && body.includes('Action=DescribeStacks')) {
        if (stackXml === undefined) {
          res.writeHead(400, { 'content-type': 'text/xml' });
          res.end(
            '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>' +
              '<Message>Stack with id PushPipeline does not exist</Message></Error>' +
              '<RequestId>r2</RequestId></ErrorResponse>',
          );
        } else {
          res.writeHead(200, { 'content-type': 'text/xml' }).end(stackXml);
        }
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen.length = 0;
});

const find = () =>
  findDeployedPipeline({
    stackName: 'PushPipeline',
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
    apiUrl: ({ ApiId, Stage }) => `${endpoint}/_aws/execute-api/${ApiId}/${Stage}/events`,
  });

test('describes a deployed stack from its outputs and the key value', async () => {
  stackXml = stack('UPDATE_COMPLETE');
  await expect(find()).resolves.toEqual({
    apiUrl: `${endpoint}/_aws/execute-api/abc123/prod/events`,
    apiKey: 'local-key-value-0123456789',
    bucket: 'pushpipeline-events-1',
    apiId: 'abc123',
    stage: 'prod',
    region: 'us-east-1',
    s3: {
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    },
    // The emulator's one endpoint serves the Lambda API too.
    functionName: 'PushPipeline-Ingest-1',
    lambda: {
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    },
  });
  expect(seen[0]).toMatch(/^POST \/ .*Action=DescribeStacks.*StackName=PushPipeline/);
});

test('undefined when the stack does not exist, or only a failed one', async () => {
  stackXml = undefined;
  await expect(find()).resolves.toBeUndefined();
  stackXml = stack('ROLLBACK_COMPLETE', {});
  await expect(find()).resolves.toBeUndefined();
  expect(seen.some((s) => s.includes('/apikeys/'))).toBe(false);
});

test('an error while the stack is changing', async () => {
  stackXml = stack('UPDATE_IN_PROGRESS');
  await expect(find()).rejects.toThrow(/is UPDATE_IN_PROGRESS; wait for it to finish/);
});

test('an error naming the outputs an older stack lacks', async () => {
  const { ApiKeyId: _missing, ...older } = outputs;
  stackXml = stack('CREATE_COMPLETE', older);
  await expect(find()).rejects.toThrow(/lacks outputs ApiKeyId/);
});
