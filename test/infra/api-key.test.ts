import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { fetchApiKeyValue } from '../../infra/deploy/api-key';

// A stand-in API Gateway control plane on 127.0.0.1 (no account here); the SDK client is real.
let server: Server;
let requests: IncomingMessage[] = [];
let answer: Record<string, unknown> = {};
let client: APIGatewayClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new APIGatewayClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = [];
});

test('asks GetApiKey for the value and returns it', async () => {
  answer = { id: 'key123', value: 'the-secret-value-0123456789', enabled: true };
  await expect(fetchApiKeyValue(client, 'key123')).resolves.toBe('the-secret-value-0123456789');
  expect(requests).toHaveLength(1);
  expect(requests[0]?.method).toBe('GET');
  expect(requests[0]?.url).toBe('/apikeys/key123?includeValue=true');
});

test('explains a key returned without its value', async () => {
  answer = { id: 'key123', enabled: true };
  await expect(fetchApiKeyValue(client, 'key123')).rejects.toThrow(/without its value/);
});

test('refuses a disabled key', async () => {
  answer = { id: 'key123', value: 'v', enabled: false };
  await expect(fetchApiKeyValue(client, 'key123')).rejects.toThrow(/is disabled/);
});
