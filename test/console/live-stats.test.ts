import { PassThrough } from 'node:stream';
import { statusClassOf, summarizeExchange } from '../../console/exchange-summary';
import { LiveActivity } from '../../console/live-activity';
import { LiveStats } from '../../console/live-stats';
import {
  ActivityFeed,
  type FunctionLogLine,
  type GatewayExchange,
  loggerWithActivity,
  teeFunctionOutput,
} from '../../emulator/activity';
import { silentLogger } from '../../emulator/log';

describe('LiveStats: per-second traffic and latency percentiles', () => {
  it('closes each second with its counts, fills quiet seconds, and keeps only the history', () => {
    let now = 1_000_000_000; // epoch ms, on a second boundary
    const stats = new LiveStats(5, () => now);
    stats.record(200, 10, 1);
    stats.record(200, 20, 1);
    stats.record(400, 5, 0);
    now += 1000;
    stats.record(409, 30, 2);
    stats.record(503, 40, 0);
    now += 3000; // two quiet seconds, then the open one
    const seconds = stats.completedSeconds();
    expect(seconds.map((s) => s.t)).toEqual([1_000_000, 1_000_001, 1_000_002, 1_000_003]);
    expect(seconds[0]).toMatchObject({
      readings: 2,
      requests: expect.objectContaining({ '200': 2, '400': 1, '409': 0 }),
    });
    expect(seconds[1]).toMatchObject({
      readings: 2,
      requests: expect.objectContaining({ '409': 1, '5xx': 1 }),
    });
    expect(seconds[2]).toMatchObject({ readings: 0, p50: null, p99: null });
    expect(stats.secondsAfter(1_000_001).map((s) => s.t)).toEqual([1_000_002, 1_000_003]);
    now += 10_000;
    expect(stats.completedSeconds()).toHaveLength(5);
    expect(stats.totalsSoFar()).toMatchObject({ requests: 5, readings: 4 });
  });

  it('gives p50 and p99 of the last minute within 1 %, and forgets older seconds', () => {
    let now = 2_000_000_000;
    const stats = new LiveStats(300, () => now);
    for (let i = 1; i <= 100; i += 1) stats.record(200, i, 1); // 1..100 ms
    const window = stats.latency();
    expect(window.count).toBe(100);
    expect(window.p50).toBeCloseTo(50, -0.3);
    expect(window.p99).toBeCloseTo(99, -0.3);
    now += 1000;
    expect(stats.completedSeconds()[0]?.p99).toBeCloseTo(99, -0.3);
    now += 61_000;
    expect(stats.latency()).toMatchObject({ count: 0, p50: null, p99: null });
  });

  it('counts every status the API answers in its own class, the rest as 5xx or other', () => {
    expect([200, 400, 403, 409, 413, 429, 500, 502, 503, 504, 404, 415].map(statusClassOf)).toEqual(
      ['200', '400', '403', '409', '413', '429', '5xx', '5xx', '5xx', '5xx', 'other', 'other'],
    );
  });
});

describe('summarizeExchange: what the API answered, per request', () => {
  const exchange = (status: number, body?: unknown): GatewayExchange => ({
    time: 1,
    requestId: 'r',
    method: 'POST',
    path: '/prod/events',
    status,
    latencyMs: 12.345,
    functionBody: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
  });

  it('reads the confirmed readings of a 200 (accepted + duplicates)', () => {
    const summary = summarizeExchange(
      exchange(200, { accepted: 3, duplicates: 2, keys: ['a'], requestId: 'x' }),
    );
    expect(summary).toMatchObject({ status: 200, readings: 5, latencyMs: 12.3 });
  });

  it('keeps the field errors of a 400 and the conflicting ids of a 409', () => {
    const errors = Array.from({ length: 25 }, (_, i) => ({
      index: i,
      field: 'epoch',
      message: `bad ${i}`,
    }));
    const bad = summarizeExchange(exchange(400, { message: 'Invalid', errors }));
    expect(bad.errors).toHaveLength(20);
    expect(bad).toMatchObject({ message: 'Invalid', detailCount: 25, readings: 0 });
    const conflict = summarizeExchange(
      exchange(409, {
        message: 'conflict',
        conflicts: [{ index: 1, id: 'abc', key: 'k' }],
        accepted: 2,
        duplicates: 0,
      }),
    );
    expect(conflict).toMatchObject({ readings: 2, conflicts: [{ index: 1, id: 'abc' }] });
  });

  it('lists a gateway error (no function answer) with its status only', () => {
    expect(summarizeExchange(exchange(429))).toEqual(
      expect.objectContaining({ status: 429, readings: 0 }),
    );
    expect(summarizeExchange(exchange(429)).message).toBeUndefined();
  });
});

describe('ActivityFeed: the emulator side of the console', () => {
  it('reports nothing and is not observed while nobody listens', async () => {
    const feed = new ActivityFeed();
    const sink = new PassThrough();
    const output: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => output.push(chunk));
    const tee = teeFunctionOutput(sink, feed);
    expect(feed.observed).toBe(false);
    tee.write('{"level":"INFO","message":"request handled"}\n');

    const lines: FunctionLogLine[] = [];
    const stop = feed.listen({ functionLog: (line) => lines.push(line) });
    expect(feed.observed).toBe(true);
    tee.write('2026-11-30T12:00:00.000Z\tid\tERROR\tInvoke Error \t{}\n{"level":"WARN",');
    tee.write('"message":"slow"}\n');
    loggerWithActivity(silentLogger, feed).info('handler cold start 80 ms');
    stop();
    tee.write('{"level":"ERROR","message":"not seen"}\n');
    await new Promise<void>((resolve) => tee.end(resolve));

    // Runtime lines are kept for a later watcher: the first cold start happens at start-up.
    const later: string[] = [];
    feed.listen({ functionLog: (line) => later.push(line.message) });
    expect(later).toEqual(['handler cold start 80 ms']);
    expect(lines.map((l) => [l.source, l.level])).toEqual([
      ['function', 'error'],
      ['function', 'warn'],
      ['runtime', 'info'],
    ]);
    // The function's own log (file or terminal) gets every byte, watched or not.
    expect(Buffer.concat(output).toString()).toContain('not seen');
    expect(Buffer.concat(output).toString()).toContain('request handled');
  });

  it('keeps a failing listener away from the parts and from other listeners', () => {
    const feed = new ActivityFeed();
    const seen: number[] = [];
    feed.listen({
      exchange: () => {
        throw new Error('listener bug');
      },
    });
    feed.listen({ exchange: (e) => seen.push(e.status) });
    expect(() =>
      feed.exchange({
        time: 0,
        requestId: 'r',
        method: 'POST',
        path: '/',
        status: 200,
        latencyMs: 1,
        functionBody: undefined,
      }),
    ).not.toThrow();
    expect(seen).toEqual([200]);
  });

  it('masks the API key in function log lines before the console keeps them', () => {
    const key = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd';
    const live = new LiveActivity(key);
    live.functionLog({ time: 0, source: 'function', level: 'info', message: `key=${key} here` });
    const [line] = live.snapshot().logs;
    expect(line?.message).toBe('key=AbCd…abcd here');
  });
});
