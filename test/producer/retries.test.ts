import { type ProducerOptions, runProducer } from '../../producer';
import { parseRetryAfter, RetryDelays } from '../../producer/retry-policy';
import { instantSleepClock } from './support/instant-clock';
import { type LocalServer, readingsOf, startLocalServer } from './support/local-server';

const apiKey = 'test-key-0123456789abcdef';
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The producer against the local server, its retries' sleeps recorded rather than slept. */
function produce(options: Omit<ProducerOptions, 'apiUrl' | 'apiKey'>) {
  if (server === undefined) throw new Error('start the local server first');
  return runProducer({ apiUrl: server.url, apiKey, clock: instantSleepClock(), ...options });
}

describe('retries against a real local server', () => {
  test('503, then 429 with Retry-After, then 200: retried, all acked, same body every time', async () => {
    server = await startLocalServer((_req, i) =>
      i === 0
        ? { status: 503, body: { message: 'Storage unavailable, retry' } }
        : i === 1
          ? { status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '2' } }
          : { status: 200, body: { accepted: 1, duplicates: 0, keys: ['k'] } },
    );
    const clock = instantSleepClock();
    const summary = await runProducer({
      apiUrl: `${server.url}/prod/events`,
      apiKey,
      nEvents: 1,
      seed: 7,
      clock,
    });

    expect(summary).toMatchObject({
      sent: 1,
      acked: 1,
      duplicates: 0,
      failed: 0,
      aborted: 0,
      requests: 3,
      retries: 2,
    });
    expect(summary.statuses).toEqual({ '503': 1, '429': 1, '200': 1 });
    // Backoff after the 503 is full jitter under the first ceiling; the 429's Retry-After (2 s) wins.
    expect(clock.sleeps[0]).toBeLessThan(100);
    expect(clock.sleeps[1]).toBe(2000);
    const bodies = server.received.map((r) => JSON.stringify(r.body));
    expect(new Set(bodies).size).toBe(1); // the same reading, so the server dedupes by key
    expect(
      server.received.every((r) => r.headers['x-api-key'] === apiKey && r.url === '/prod/events'),
    ).toBe(true);
  });

  test('a request past --timeout is abandoned and retried', async () => {
    server = await startLocalServer((_req, i) =>
      i === 0
        ? { status: 200, hang: true }
        : { status: 200, body: { accepted: 1, duplicates: 0, keys: ['k'] } },
    );
    const summary = await produce({
      nEvents: 1,
      // The same timeout covers the retry, on a fresh connection: generous, so a loaded machine
      // answers it in time (the hanging first request never answers, whatever the timeout).
      timeoutMs: 2000,
    });
    expect(summary).toMatchObject({ sent: 1, acked: 1, failed: 0, requests: 2, retries: 1 });
    expect(summary.statuses).toEqual({ timeout: 1, '200': 1 });
  });

  test('gives up after maxRetries and reports the last answer', async () => {
    server = await startLocalServer(() => ({
      status: 503,
      body: { message: 'Service Unavailable' },
    }));
    const summary = await produce({
      nEvents: 2,
      maxRetries: 2,
      maxDelay: 0,
    });
    expect(summary).toMatchObject({ sent: 2, acked: 0, failed: 2, requests: 6, retries: 4 });
    expect(summary.failedByReason).toEqual({ '503 Service Unavailable': 2 });
  });

  test.each([
    [
      400,
      { message: 'temperature must be a finite JSON number', errors: [] },
      '400 temperature must be a finite JSON number',
    ],
    [403, { message: 'Forbidden' }, '403 Forbidden'],
    [413, { message: 'Body over 1 MiB' }, '413 Body over 1 MiB'],
  ])('never retries %i and reports the server message', async (status, body, reason) => {
    server = await startLocalServer(() => ({ status, body }));
    const summary = await produce({
      nEvents: 3,
      maxDelay: 0,
    });
    expect(summary).toMatchObject({ sent: 3, acked: 0, failed: 3, requests: 3, retries: 0 });
    expect(summary.failedByReason).toEqual({ [reason]: 3 });
  });

  test("the gateway's bare 500 (Lambda throttled) is retried like a 503", async () => {
    server = await startLocalServer((_req, i) =>
      i < 2
        ? { status: 500, body: { message: 'Internal server error' } }
        : { status: 200, body: { accepted: 1, duplicates: 0, keys: ['k'] } },
    );
    const summary = await produce({
      nEvents: 1,
    });
    expect(summary).toMatchObject({ sent: 1, acked: 1, failed: 0, requests: 3, retries: 2 });
    expect(summary.statuses).toEqual({ '500': 2, '200': 1 });
  });

  test.each([
    ['StorageRejected', 'Storage refused the write; the deployment needs attention'],
    ['FunctionNotConfigured', 'The function is not configured: set BUCKET_NAME'],
  ])(
    'a function 500 with code %s (broken deployment) is final: one request, its message reported',
    async (code, message) => {
      server = await startLocalServer(() => ({
        status: 500,
        body: { message, code, requestId: 'r-1' },
      }));
      const summary = await produce({
        nEvents: 2,
        maxDelay: 0,
      });
      expect(summary).toMatchObject({ sent: 2, acked: 0, failed: 2, requests: 2, retries: 0 });
      expect(summary.failedByReason).toEqual({ [`500 ${message}`]: 2 });
    },
  );

  test('a function 500 InternalError (unexpected failure) is retried', async () => {
    server = await startLocalServer((_req, i) =>
      i === 0
        ? { status: 500, body: { message: 'Internal error', code: 'InternalError' } }
        : { status: 200, body: { accepted: 1, duplicates: 0, keys: ['k'] } },
    );
    const summary = await produce({
      nEvents: 1,
    });
    expect(summary).toMatchObject({ acked: 1, requests: 2, retries: 1 });
  });

  test('429 Limit Exceeded (usage-plan quota used up) is final; 429 Too Many Requests is retried', async () => {
    server = await startLocalServer((_req, i) =>
      i === 0
        ? { status: 429, body: { message: 'Limit Exceeded' } }
        : i === 1
          ? { status: 429, body: { message: 'Too Many Requests' } }
          : { status: 200, body: { accepted: 1, duplicates: 0, keys: ['k'] } },
    );
    const summary = await produce({
      nEvents: 2,
      maxDelay: 0,
    });
    expect(summary).toMatchObject({ sent: 2, acked: 1, failed: 1, requests: 3, retries: 1 });
    expect(summary.failedByReason).toEqual({ '429 Limit Exceeded': 1 });
  });

  test('network errors are retried, then reported by code', async () => {
    // A port that was just free and is now closed: connection refused.
    const closed = await startLocalServer(() => ({ status: 200 }));
    await closed.close();
    const summary = await runProducer({
      apiUrl: closed.url,
      apiKey,
      nEvents: 1,
      maxRetries: 1,
      clock: instantSleepClock(),
    });
    expect(summary).toMatchObject({ sent: 1, failed: 1, requests: 2, retries: 1 });
    expect(summary.failedByReason).toEqual({ 'network ECONNREFUSED': 1 });
  });

  test('a request with no answer times out and counts as a timeout', async () => {
    server = await startLocalServer(() => ({ status: 200, hang: true }));
    const summary = await runProducer({
      apiUrl: server.url,
      apiKey,
      nEvents: 1,
      maxRetries: 0,
      timeoutMs: 50,
    });
    expect(summary).toMatchObject({ sent: 1, failed: 1, requests: 1 });
    expect(summary.failedByReason).toEqual({ 'timeout (no answer within 50 ms)': 1 });
  });

  test('a server message echoing the API key is redacted', async () => {
    server = await startLocalServer(() => ({
      status: 400,
      body: { message: `key ${apiKey} not valid here` },
    }));
    const summary = await produce({
      nEvents: 1,
    });
    expect(JSON.stringify(summary)).not.toContain(apiKey);
    expect(summary.failedByReason).toEqual({ '400 key test…cdef not valid here': 1 });
    expect(readingsOf(server.received[0]?.body)).toHaveLength(1);
  });
});

describe('retry policy', () => {
  test('Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined(); // not a date: the backoff decides
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  test('full jitter: each wait is within [0, base * 2^attempt], capped', () => {
    const failed = { kind: 'timeout' } as const;
    for (let run = 0; run < 200; run++) {
      const delays = new RetryDelays(100, 1000);
      const waits = Array.from({ length: 6 }, () => delays.next(failed));
      waits.forEach((w, attempt) => {
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** attempt));
      });
    }
  });

  test('a huge Retry-After is capped at the maximum delay', () => {
    const delays = new RetryDelays(100, 20_000);
    expect(
      delays.next({ kind: 'response', status: 429, headers: { 'retry-after': '3600' }, body: {} }),
    ).toBe(20_000);
  });
});
