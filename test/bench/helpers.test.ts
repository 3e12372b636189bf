import { assumedDurationMs } from '../../bench/b4-cost';
import {
  type ConcurrencyRun,
  formatByConcurrency,
  summariseByConcurrency,
} from '../../bench/by-concurrency';
import { interleave } from '../../bench/interleave';
import type { BenchResult } from '../../bench/result';
import { median, pairedRatio, quantile } from '../../bench/stats';
import { markdownTable } from '../../bench/table';
import { execArgvWithoutModuleHooks } from '../../emulator/lambda-host/function-worker';

describe('bench statistics', () => {
  test('median and quantiles interpolate between ranks', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([0, 10], 0.99)).toBeCloseTo(9.9);
    expect(median([])).toBeNaN();
  });

  test('pairedRatio is the median of per-round ratios', () => {
    // Rounds 10/20, 40/20, 30/30: ratios 0.5, 2 and 1, median 1.
    expect(pairedRatio([10, 40, 30], [20, 20, 30])).toBe(1);
    expect(pairedRatio([1, 2], [2, 4])).toBe(0.5);
  });
});

describe('interleave', () => {
  test('rotates the order each round and keeps each variant in round order', async () => {
    const order: string[] = [];
    let n = 0;
    const variant = (name: string) => async () => {
      order.push(name);
      n += 1;
      return n;
    };
    const runs = await interleave({ a: variant('a'), b: variant('b'), c: variant('c') }, 3);
    expect(order).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(runs).toEqual({ a: [1, 6, 8], b: [2, 4, 9], c: [3, 5, 7] });
  });
});

describe('markdownTable', () => {
  test('pads columns and marks missed targets', () => {
    const result: BenchResult = {
      id: 'b2',
      title: 't',
      metrics: [
        { name: 'ratio', value: 0.45, target: '>= 0.7', ok: false },
        { name: 'image', value: null },
      ],
      notes: [],
      details: {},
      elapsedMs: 0,
    };
    const lines = markdownTable([result]).split('\n');
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[2]).toContain('MISSED');
    expect(lines[3]).toContain('not measured');
  });
});

describe('B4 duration assumption', () => {
  test('one round of PUT latency per 16 readings, plus overhead', () => {
    expect(assumedDurationMs(1)).toBe(35);
    expect(assumedDurationMs(16)).toBe(35);
    expect(assumedDurationMs(17)).toBe(65);
    expect(assumedDurationMs(100, 10)).toBe(75);
  });
});

describe('function workers do not inherit module hooks (the B2 fix)', () => {
  test('drops tsx and other preload flags with their values', () => {
    expect(
      execArgvWithoutModuleHooks([
        '--require',
        '/x/tsx/dist/preflight.cjs',
        '--import',
        'file:///x/tsx/dist/loader.mjs',
        '--enable-source-maps',
      ]),
    ).toEqual(['--enable-source-maps']);
    expect(
      execArgvWithoutModuleHooks(['--import=tsx', '-r', 'dotenv/config', '--cpu-prof']),
    ).toEqual(['--cpu-prof']);
  });

  test('leaves the default inheritance alone when there is nothing to drop', () => {
    expect(execArgvWithoutModuleHooks(['--experimental-vm-modules'])).toBeUndefined();
    expect(execArgvWithoutModuleHooks([])).toBeUndefined();
  });
});

describe('bench -- concurrency', () => {
  const run = (batch1: number, batch100: number): ConcurrencyRun => ({
    batch1,
    batch100,
    cpuMsPerReadingBatch1: 3,
  });
  // Round 1 ran faster than round 2 for every concurrency: ratios are taken within a round.
  const runs = new Map([
    [4, [run(600, 1300), run(400, 1000)]],
    [2, [run(570, 1250), run(380, 950)]],
    [1, [run(400, 1100), run(260, 800)]],
  ]);

  test('ratios to the default within each round; the target needs both RSS and throughput', () => {
    const rows = summariseByConcurrency(
      runs,
      new Map([
        [4, 410],
        [2, 325],
        [1, 230],
      ]),
      4,
    );
    expect(rows.map((r) => [r.concurrency, r.batch1VsDefault, r.meetsTarget])).toEqual([
      [4, 1, false],
      [2, 0.95, false], // within 10 %, but 325 MB
      [1, 0.6583333333333333, false], // 230 MB, but a third slower
    ]);
    expect(formatByConcurrency(rows, 4)).toMatch(/No concurrency keeps peak RSS <= 250 MB/);
  });

  test('names the concurrencies that meet the target', () => {
    const rows = summariseByConcurrency(
      runs,
      new Map([
        [4, 410],
        [2, 240],
        [1, 230],
      ]),
      4,
    );
    expect(rows.find((r) => r.concurrency === 2)?.meetsTarget).toBe(true);
    const text = formatByConcurrency(rows, 4);
    expect(text).toContain('| 4 (default) | 500/s | 1 |');
    expect(text).toMatch(/within 10 % of the default's batch-1 throughput: concurrency 2\.$/);
  });

  test('refuses runs without the default concurrency', () => {
    expect(() => summariseByConcurrency(new Map([[2, [run(1, 1)]]]), new Map(), 4)).toThrow(
      /default concurrency 4/,
    );
  });
});
