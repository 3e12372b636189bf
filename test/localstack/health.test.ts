import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deployToEndpoint } from '../../localstack/deploy-to-endpoint';
import { waitForLocalStack } from '../../localstack/health';

// A stand-in for LocalStack's health endpoint on 127.0.0.1: the unit tests need no LocalStack.
let server: Server;
let endpoint: string;
let answers: number[] = [];
const paths: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(answers.shift() ?? 200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

test('waits through not-ready answers until the health endpoint says 200', async () => {
  answers = [503, 503];
  paths.length = 0;
  await waitForLocalStack(endpoint, { intervalMs: 10, timeoutMs: 10_000 });
  expect(paths).toEqual(['/_localstack/health', '/_localstack/health', '/_localstack/health']);
});

test('gives up with advice when it never becomes healthy', async () => {
  answers = Array(100).fill(503);
  await expect(waitForLocalStack(endpoint, { intervalMs: 10, timeoutMs: 50 })).rejects.toThrow(
    /not answering .*HTTP 503.*docker compose up -d localstack/,
  );
  answers = [];
});

test('deployToEndpoint stops before cdklocal when nothing listens there', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  await expect(
    deployToEndpoint({ endpoint: `http://127.0.0.1:${port}`, healthTimeoutMs: 0, output: 'quiet' }),
  ).rejects.toThrow(
    /LocalStack is not answering at http:\/\/127\.0\.0\.1:\d+\/_localstack\/health/,
  );
});
