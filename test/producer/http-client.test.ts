import { createHttpClient, type HttpClient } from '../../producer/http-client';
import { type LocalServer, startLocalServer } from './support/local-server';

const apiKey = 'test-key-0123456789abcdef';
let server: LocalServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.destroy();
  await server?.close();
  client = undefined;
  server = undefined;
});

function clientFor(s: LocalServer, opts: { connections?: number; timeoutMs?: number } = {}) {
  const cut = new AbortController();
  client = createHttpClient({
    url: new URL(`${s.url}/prod/events`),
    apiKey,
    connections: opts.connections ?? 1,
    timeoutMs: opts.timeoutMs ?? 10_000,
    cut: cut.signal,
  });
  return { client, cut };
}

test('an answer: status, lower-cased headers, the JSON body parsed (plain text kept as text)', async () => {
  server = await startLocalServer((_req, i) =>
    i === 0
      ? { status: 503, body: { message: 'busy' }, headers: { 'Retry-After': '2' } }
      : { status: 502, body: '<html>Bad Gateway</html>' },
  );
  const { client } = clientFor(server);
  const first = await client.post('{"a":1}');
  expect(first).toMatchObject({ kind: 'response', status: 503, body: { message: 'busy' } });
  expect(first.kind === 'response' && first.headers['retry-after']).toBe('2');
  expect(await client.post('{"a":2}')).toMatchObject({
    kind: 'response',
    status: 502,
    body: '<html>Bad Gateway</html>',
  });
  expect(server.received.map((r) => [r.method, r.url, r.headers['x-api-key'], r.body])).toEqual([
    ['POST', '/prod/events', apiKey, { a: 1 }],
    ['POST', '/prod/events', apiKey, { a: 2 }],
  ]);
});

test('a request still queued for a connection when its time is up is reported and never sent', async () => {
  server = await startLocalServer(() => ({ status: 200, hang: true }));
  const { client } = clientFor(server, { connections: 1, timeoutMs: 100 });
  // One connection: the second request waits behind the first, which gets no answer.
  const results = await Promise.all([client.post('{"n":1}'), client.post('{"n":2}')]);
  expect(results).toEqual([{ kind: 'timeout' }, { kind: 'timeout' }]);
  await client.close();
  expect(server.received.map((r) => r.body)).toEqual([{ n: 1 }]);
});

test('cut: requests on the wire end as aborted, later ones are not sent', async () => {
  server = await startLocalServer(() => ({ status: 200, hang: true }));
  const { client, cut } = clientFor(server, { connections: 2 });
  const pending = [client.post('{"n":1}'), client.post('{"n":2}')];
  while (server.received.length < 2) await new Promise((r) => setTimeout(r, 5));
  cut.abort();
  expect(await Promise.all(pending)).toEqual([{ kind: 'aborted' }, { kind: 'aborted' }]);
  expect(await client.post('{"n":3}')).toEqual({ kind: 'aborted' });
  expect(server.received).toHaveLength(2);
});

test('a refused connection is a network error with its code', async () => {
  server = await startLocalServer(() => ({ status: 200 }));
  const url = server.url;
  await server.close();
  server = undefined;
  const cut = new AbortController();
  client = createHttpClient({
    url: new URL(url),
    apiKey,
    connections: 1,
    timeoutMs: 10_000,
    cut: cut.signal,
  });
  expect(await client.post('{}')).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
});
