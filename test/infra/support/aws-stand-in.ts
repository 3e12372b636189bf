// A stand-in for the AWS APIs the deploy scripts call, on 127.0.0.1 (no account exists here):
// API Gateway's GetApiKey (REST JSON), CloudFormation's DescribeStacks (query protocol, XML) and
// the deployed API's POST /prod/events. The SDK clients, their signing, serialisers and parsers
// are real; each request's SigV4 credential scope is recorded, so a test can tell which identity
// (access key, region) made it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** From `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request`. */
  readonly accessKeyId?: string;
  readonly region?: string;
  readonly service?: string;
}

export interface StandInState {
  /** GetApiKey answers for this key id. */
  apiKey: { id: string; value: string; enabled: boolean };
  /** DescribeStacks: the stack's outputs, or undefined for "does not exist". */
  stack: { name: string; status: string; outputs: Record<string, string> } | undefined;
  /** Status and body of each POST to /prod/events, in turn; the last one repeats. */
  events: { status: number; body: unknown }[];
}

export interface AwsStandIn {
  readonly url: string;
  readonly seen: SeenRequest[];
  readonly state: StandInState;
  close(): Promise<void>;
}

function describeStacksXml(stack: NonNullable<StandInState['stack']>): string {
  const members = Object.entries(stack.outputs)
    .map(([k, v]) => `<member><OutputKey>${k}</OutputKey><OutputValue>${v}</OutputValue></member>`)
    .join('');
  return `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
<DescribeStacksResult><Stacks><member><StackName>${stack.name}</StackName>
<StackId>arn:aws:cloudformation:eu-west-2:000000000000:stack/${stack.name}/1</StackId>
<CreationTime>2026-11-25T00:00:00Z</CreationTime><StackStatus>${stack.status}</StackStatus>
<Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult>
<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeStacksResponse>`;
}

const missingStackXml = (name: string) =>
  '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>' +
  `<Message>Stack with id ${name} does not exist</Message></Error><RequestId>r2</RequestId></ErrorResponse>`;

export async function startAwsStandIn(state: StandInState): Promise<AwsStandIn> {
  const seen: SeenRequest[] = [];
  let eventsAnswered = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const scope = /Credential=([^/]+)\/[^/]+\/([^/]+)\/([^/]+)\//.exec(
        req.headers.authorization ?? '',
      );
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body,
        headers: req.headers,
        ...(scope && { accessKeyId: scope[1], region: scope[2], service: scope[3] }),
      });
      const json = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.method === 'GET' && req.url === `/apikeys/${state.apiKey.id}?includeValue=true`) {
        return json(200, state.apiKey);
      }
      if (req.method === 'POST' && body.includes('Action=DescribeStacks')) {
        const { stack } = state;
        const xml = { 'content-type': 'text/xml' };
        if (stack === undefined || !body.includes(`StackName=${stack.name}`)) {
          return res.writeHead(400, xml).end(missingStackXml(stack?.name ?? 'unknown'));
        }
        return res.writeHead(200, xml).end(describeStacksXml(stack));
      }
      if (req.method === 'POST' && req.url === '/prod/events') {
        const answer = state.events[Math.min(eventsAnswered, state.events.length - 1)];
        eventsAnswered += 1;
        return json(answer?.status ?? 500, answer?.body ?? { message: 'no answer configured' });
      }
      json(404, { message: `the stand-in does not serve ${req.method} ${req.url}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
