import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadingGenerator, type Reading } from '../../model';
import { type ProducerReport, type ProducerSummary, runProducer } from '../../producer';
import { ProducerStats } from '../../producer/stats';
import { instantSleepClock } from './support/instant-clock';
import {
  contractReplies,
  type LocalServer,
  readingsOf,
  startLocalServer,
} from './support/local-server';

const apiKey = 'acct-key-0123456789abcdef';
let server: LocalServer | undefined;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'producer-acct-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

const balanced = (s: ProducerSummary) => expect(s.sent).toBe(s.acked + s.failed + s.aborted);
const readings = (n: number, seed = 3): Reading[] => {
  const next = createReadingGenerator({ seed });
  return Array.from({ length: n }, next);
};

test('batch mode sends arrays of batchSize (the last one short) and counts readings, not requests', async () => {
  server = await startLocalServer(contractReplies());
  const s = await runProducer({
    apiUrl: server.url,
    apiKey,
    nEvents: 12,
    batchSize: 5,
    maxDelay: 0,
  });
  expect(server.received.map((r) => Array.isArray(r.body) && r.body.length)).toEqual([5, 5, 2]);
  expect(s).toMatchObject({ sent: 12, acked: 12, failed: 0, requests: 3, duplicates: 0 });
  balanced(s);
});

test('batchSize 1 sends a single object, not an array', async () => {
  server = await startLocalServer(contractReplies());
  await runProducer({ apiUrl: server.url, apiKey, nEvents: 2, maxDelay: 0 });
  expect(server.received.map((r) => Array.isArray(r.body))).toEqual([false, false]);
  expect(server.received[0]?.headers['content-type']).toBe('application/json');
});

test('409: the conflicting readings fail, the rest of the batch is acked', async () => {
  const batch = readings(4);
  const first = batch[1] as Reading;
  const stored = new Map([
    [first.id, JSON.stringify({ ...first, temperature: first.temperature + 1 })],
  ]);
  server = await startLocalServer(contractReplies(stored));
  const report = join(dir, 'r.json');
  const s = await runProducer({
    apiUrl: server.url,
    apiKey,
    readings: batch,
    batchSize: 4,
    reportFile: report,
  });
  expect(s).toMatchObject({ sent: 4, acked: 3, failed: 1, requests: 1, retries: 0 });
  expect(s.failedByReason).toEqual({ '409 conflict': 1 });
  balanced(s);
  const r = JSON.parse(await readFile(report, 'utf8')) as ProducerReport;
  expect(r.readings.map((x) => x.outcome)).toEqual(['acked', 'failed', 'acked', 'acked']);
  expect(r.readings[1]).toMatchObject({ reading: first, reason: '409 conflict', attempts: 1 });
});

test('409 with one id sent twice: both copies fail, the rest of the batch is acked', async () => {
  const [a, b, c] = readings(3) as [Reading, Reading, Reading];
  const stored = new Map([[a.id, JSON.stringify({ ...a, temperature: a.temperature + 1 })]]);
  server = await startLocalServer(contractReplies(stored));
  const s = await runProducer({ apiUrl: server.url, apiKey, readings: [a, a, b, c], batchSize: 4 });
  expect(s).toMatchObject({ sent: 4, acked: 2, failed: 2 });
  expect(s.failedByReason).toEqual({ '409 conflict': 2 });
  balanced(s);
});

test('a report that cannot be written fails before anything is sent, naming --report', async () => {
  server = await startLocalServer(contractReplies());
  await expect(
    runProducer({ apiUrl: server.url, apiKey, nEvents: 2, reportFile: '/dev/null/report.json' }),
  ).rejects.toMatchObject({ name: 'ProducerOptionsError', flag: '--report' });
  expect(server.received).toEqual([]);
});

test('a 409 naming no ids fails its whole request', async () => {
  server = await startLocalServer(() => ({ status: 409, body: { message: 'Conflict' } }));
  const s = await runProducer({ apiUrl: server.url, apiKey, nEvents: 3, batchSize: 3 });
  expect(s).toMatchObject({ sent: 3, acked: 0, failed: 3 });
  expect(s.failedByReason).toEqual({ '409 conflict': 3 });
});

test('re-sending the same readings: all acked as duplicates (the server keeps one copy)', async () => {
  server = await startLocalServer(contractReplies());
  const again = readings(3);
  await runProducer({ apiUrl: server.url, apiKey, readings: again, maxDelay: 0 });
  const report = join(dir, 'dup.json');
  const s = await runProducer({
    apiUrl: server.url,
    apiKey,
    readings: again,
    maxDelay: 0,
    reportFile: report,
  });
  expect(s).toMatchObject({ sent: 3, acked: 3, duplicates: 3, failed: 0 });
  const r = JSON.parse(await readFile(report, 'utf8')) as ProducerReport;
  expect(r.readings.map((x) => x.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
});

test('a seed repeats ids, sensors and temperatures (epochs are the time of sending)', async () => {
  server = await startLocalServer(() => ({
    status: 200,
    body: { accepted: 1, duplicates: 0, keys: [] },
  }));
  await runProducer({ apiUrl: server.url, apiKey, nEvents: 3, seed: 99, maxDelay: 0 });
  await runProducer({ apiUrl: server.url, apiKey, nEvents: 3, seed: 99, maxDelay: 0 });
  await runProducer({ apiUrl: server.url, apiKey, nEvents: 3, seed: 100, maxDelay: 0 });
  const sent = server.received.map((r) => {
    const { id, sensor_id, temperature } = readingsOf(r.body)[0] as Reading;
    return { id, sensor_id, temperature };
  });
  expect(sent.slice(0, 3)).toEqual(sent.slice(3, 6));
  expect(sent.slice(6)).not.toEqual(sent.slice(0, 3));
});

test('--report: summary, masked key, every reading in order with its outcome', async () => {
  server = await startLocalServer((_req, i) =>
    i === 1
      ? { status: 400, body: { message: 'temperature out of range' } }
      : contractReplies()(_req),
  );
  const report = join(dir, 'sub', 'report.json');
  const s = await runProducer({
    apiUrl: `${server.url}/prod`,
    apiKey,
    nEvents: 3,
    seed: 5,
    maxDelay: 0,
    reportFile: report,
  });
  expect(s.reportFile).toBe(report);
  const text = await readFile(report, 'utf8');
  expect(text).not.toContain(apiKey);
  const r = JSON.parse(text) as ProducerReport;
  expect(r).toMatchObject({
    version: 1,
    apiUrl: `${server.url}/prod/events`,
    apiKey: 'acct…cdef',
    options: {
      nEvents: 3,
      nWorkers: 1,
      batchSize: 1,
      seed: 5,
      maxDelay: 0,
      rate: null,
      duration: null,
    },
    summary: { sent: 3, acked: 2, failed: 1 },
  });
  const sentBodies = server.received.map((x) => x.body);
  expect(r.readings.map((x) => x.reading)).toEqual(sentBodies);
  expect(r.readings.map((x) => [x.outcome, x.reason])).toEqual([
    ['acked', undefined],
    ['failed', '400 temperature out of range'],
    ['acked', undefined],
  ]);
});

test('abort signal: stops producing, cuts requests still unanswered after the drain time, counts them aborted', async () => {
  const stop = new AbortController();
  server = await startLocalServer((_req, i) => {
    if (i === 1) stop.abort(); // Ctrl+C while the second request is on the wire
    return i === 0
      ? { status: 200, body: { accepted: 2, duplicates: 0, keys: [] } }
      : { status: 200, hang: true };
  });
  const report = join(dir, 'abort.json');
  const s = await runProducer({
    apiUrl: server.url,
    apiKey,
    nEvents: 100,
    batchSize: 2,
    maxDelay: 0,
    signal: stop.signal,
    drainTimeoutMs: 50,
    reportFile: report,
  });
  expect(s).toMatchObject({ sent: 4, acked: 2, failed: 0, aborted: 2, stoppedBy: 'signal' });
  balanced(s);
  const r = JSON.parse(await readFile(report, 'utf8')) as ProducerReport;
  expect(r.readings.map((x) => x.outcome)).toEqual(['acked', 'acked', 'aborted', 'aborted']);
});

test('abort signal during a backoff wait: no further retry, the reading is aborted', async () => {
  const stop = new AbortController();
  server = await startLocalServer(() => {
    stop.abort();
    return { status: 503, body: { message: 'busy' }, headers: { 'retry-after': '30' } };
  });
  const s = await runProducer({ apiUrl: server.url, apiKey, nEvents: 5, signal: stop.signal });
  expect(s).toMatchObject({
    sent: 1,
    acked: 0,
    aborted: 1,
    requests: 1,
    retries: 0,
    stoppedBy: 'signal',
  });
  balanced(s);
});

test('--duration stops starting requests; started ones finish (nothing aborted)', async () => {
  server = await startLocalServer(contractReplies());
  const s = await runProducer({
    apiUrl: server.url,
    apiKey,
    rate: 200,
    duration: 0.2,
    nWorkers: 2,
  });
  expect(s.stoppedBy).toBe('duration');
  expect(s.sent).toBeGreaterThan(0);
  expect(s).toMatchObject({ failed: 0, aborted: 0, acked: s.sent });
  expect(s.rate).toMatchObject({ target: 200, inFlightCap: 2 });
});

test('onProgress gets snapshots and a final done one', async () => {
  server = await startLocalServer(contractReplies());
  const seen: { sent: number; done: boolean; total?: number }[] = [];
  await runProducer({
    apiUrl: server.url,
    apiKey,
    nEvents: 3,
    maxDelay: 0,
    clock: instantSleepClock(),
    onProgress: (p) => seen.push(p),
  });
  expect(seen.at(-1)).toMatchObject({ sent: 3, acked: 3, done: true, total: 3, inFlight: 0 });
});

test('invalid options throw before anything is sent, naming the flag', async () => {
  await expect(
    runProducer({ apiUrl: 'http://127.0.0.1:9/x', apiKey, batchSize: 501 }),
  ).rejects.toThrow('--batch-size must be at most 500 (got 501)');
  await expect(
    runProducer({ apiUrl: 'http://127.0.0.1:9/x', apiKey, readings: readings(2), nEvents: 3 }),
  ).rejects.toThrow(/--n-events \(3\) exceeds the 2 readings given/);
});

test('latency summary: percentiles within 3 significant digits, the exact max and mean, cut requests left out', () => {
  const stats = new ProducerStats(false);
  expect(stats.latency()).toEqual({ p50: 0, p90: 0, p99: 0, max: 0, mean: 0 });
  for (let ms = 1; ms <= 1000; ms++) stats.recordAttempt(ms + 0.123, '200', false);
  stats.recordAttempt(undefined, 'aborted', false);
  const l = stats.latency();
  expect(l.max).toBe(1000.123);
  expect(l.mean).toBeCloseTo(500.623, 2);
  expect(l.p50).toBeGreaterThanOrEqual(500.123);
  expect(l.p50).toBeLessThanOrEqual(500.123 * 1.001);
  expect(l.p90).toBeGreaterThanOrEqual(900.123);
  expect(l.p90).toBeLessThanOrEqual(900.123 * 1.001);
  expect(l.p99).toBeGreaterThanOrEqual(990.123);
  expect(l.p99).toBeLessThanOrEqual(l.max);
  expect(stats.requests).toBe(1001);
});
