import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForFunctionActive } from '../../localstack/function-active';

// A stand-in for LocalStack's Lambda API (GetFunction) on 127.0.0.1: the unit tests need no
// LocalStack.
// Each answer is the function's state, or a status for a Lambda service error.
type Answer = { state: string; reasonCode?: string; reason?: string } | { status: number };
let server: Server;
let endpoint: string;
let answers: Answer[] = [];
let last: Answer = { state: 'Pending' };
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const answer = answers.shift() ?? last;
    if ('status' in answer) {
      res
        .writeHead(answer.status, {
          'content-type': 'application/json',
          'x-amzn-ErrorType': 'ResourceNotFoundException',
        })
        .end(JSON.stringify({ Type: 'User', Message: 'Function not found: arn:aws:lambda:x' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        Configuration: {
          FunctionName: 'fn',
          State: answer.state,
          StateReasonCode: answer.reasonCode,
          StateReason: answer.reason,
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
  requests.length = 0;
});

const settings = () => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const fast = { minDelaySeconds: 0.02, maxDelaySeconds: 0.05 };

test('polls GetFunction through Pending (and a not-yet-found function) until Active', async () => {
  answers = [{ status: 404 }, { state: 'Pending' }, { state: 'Pending' }, { state: 'Active' }];
  await waitForFunctionActive(settings(), 'fn', { ...fast, timeoutMs: 10_000 });
  expect(requests).toEqual(Array(4).fill('GET /2015-03-31/functions/fn'));
});

test('gives up at its bound with the state and its reason', async () => {
  answers = [];
  last = { state: 'Pending', reasonCode: 'Creating', reason: 'The function is being created.' };
  const started = Date.now();
  await expect(
    waitForFunctionActive(settings(), 'fn', { ...fast, timeoutMs: 500 }),
  ).rejects.toThrow(
    /fn did not become Active within 0.5 s \(state Pending: Creating: The function is being created\.\).*docker compose logs localstack/,
  );
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(requests.length).toBeGreaterThan(2);
});

test('fails at once when the function fails to become Active', async () => {
  answers = [{ state: 'Pending' }];
  last = { state: 'Failed', reasonCode: 'ImageAccessDenied', reason: 'cannot pull the image' };
  await expect(
    waitForFunctionActive(settings(), 'fn', { ...fast, timeoutMs: 60_000 }),
  ).rejects.toThrow(/state Failed: ImageAccessDenied: cannot pull the image/);
  // Two polls and the final description: no waiting out the minute.
  expect(requests).toHaveLength(3);
});

test('names the Lambda error when the function never appears', async () => {
  answers = [];
  last = { status: 404 };
  await expect(
    waitForFunctionActive(settings(), 'fn', { ...fast, timeoutMs: 300 }),
  ).rejects.toThrow(/GetFunction failed: ResourceNotFoundException: Function not found/);
});
