/**
 * B1: how close the producer gets to a dedicated load generator. The producer and autocannon take
 * turns against the same trivial server (its own process), with the same connections (= producer
 * workers), the same payload (a reading, x-api-key header) and the same duration. A bare loop of
 * undici requests (the producer's HTTP client, same pool size and body) runs in the same rounds:
 * it separates the producer's own per-request cost from its transport's. A second loop draws and
 * serialises a new reading per request, as the producer must (the baseline of the producer's
 * target). Every run is a fresh process (bench/children/load-generator.ts) with its own warm-up.
 */
import { forkChild, messageOfType } from './child';
import type { GeneratorArgs, GeneratorResult } from './children/load-generator';
import { interleave } from './interleave';
import { apiKeyHeader, sampleReadingBody } from './payload';
import { atLeast, type BenchContext, type BenchResult } from './result';
import { pairedRatio, round, summarise } from './stats';
import { startTrivialServer } from './trivial-server';

const API_KEY = 'bench-key-0123456789abcdefghij';
const TARGET_RATIO = 0.9;
/** Producer against the bare loop with unique bodies (issue 15). */
const TARGET_VS_LOOP = 0.8;

export async function b1ProducerEfficiency(ctx: BenchContext): Promise<BenchResult> {
  const t0 = performance.now();
  const connections = 16;
  const seconds = ctx.quick ? 2 : 4;
  const rounds = ctx.quick ? 2 : 5;
  const server = await startTrivialServer();
  const body = sampleReadingBody();

  const run = async (kind: GeneratorArgs['kind']): Promise<GeneratorResult> => {
    const args: GeneratorArgs = {
      kind,
      origin: server.url,
      connections,
      seconds,
      body,
      apiKeyHeader,
      apiKey: API_KEY,
    };
    const child = forkChild('bench/children/load-generator.ts', [JSON.stringify(args)]);
    try {
      return await child.next(messageOfType<GeneratorResult>('done'), (seconds + 60) * 1000);
    } finally {
      await child.stop(5_000);
    }
  };

  try {
    const runs = await interleave(
      {
        producer: () => run('producer'),
        autocannon: () => run('autocannon'),
        undiciLoop: () => run('undici'),
        undiciUnique: () => run('undici-unique'),
      },
      rounds,
      (name, i, r) => ctx.log(`  b1 round ${i + 1} ${name}: ${r.reqPerSec.toFixed(0)} req/s`),
    );
    const rate = (k: keyof typeof runs) => runs[k].map((r) => r.reqPerSec);
    const p = summarise(rate('producer'));
    const a = summarise(rate('autocannon'));
    const u = summarise(rate('undiciLoop'));
    const uu = summarise(rate('undiciUnique'));
    const ratio = pairedRatio(rate('producer'), rate('autocannon'));
    const vsUndici = pairedRatio(rate('producer'), rate('undiciLoop'));
    const vsUnique = pairedRatio(rate('producer'), rate('undiciUnique'));
    const errors = Object.values(runs)
      .flat()
      .reduce((n, r) => n + r.errors, 0);
    // autocannon reports whole milliseconds: 0 means under 1 ms.
    const ms = (x: number) => (x === 0 ? '<1' : String(round(x, 2)));
    const lat = (k: keyof typeof runs) =>
      `${ms(summarise(runs[k].map((r) => r.p50)).median)} / ${ms(summarise(runs[k].map((r) => r.p99)).median)}`;
    return {
      id: 'b1',
      title: 'Producer efficiency (vs autocannon, trivial server)',
      metrics: [
        { name: 'producer req/s (median)', value: round(p.median), unit: 'req/s' },
        { name: 'autocannon req/s (median)', value: round(a.median), unit: 'req/s' },
        {
          name: 'ratio producer/autocannon',
          value: round(ratio, 2),
          target: `>= ${TARGET_RATIO}`,
          ok: atLeast(ratio, TARGET_RATIO),
        },
        { name: 'bare undici loop req/s (median)', value: round(u.median), unit: 'req/s' },
        { name: 'ratio producer/undici loop', value: round(vsUndici, 2) },
        {
          name: 'bare undici loop, unique bodies req/s (median)',
          value: round(uu.median),
          unit: 'req/s',
        },
        {
          name: 'ratio producer/undici loop (unique bodies)',
          value: round(vsUnique, 2),
          target: `>= ${TARGET_VS_LOOP}`,
          ok: atLeast(vsUnique, TARGET_VS_LOOP),
        },
        { name: 'latency p50/p99 producer', value: lat('producer'), unit: 'ms' },
        { name: 'latency p50/p99 undici loop', value: lat('undiciLoop'), unit: 'ms' },
        {
          name: 'latency p50/p99 autocannon',
          value: lat('autocannon'),
          unit: 'ms',
          note: 'autocannon records latency in whole milliseconds.',
        },
      ],
      notes: [
        `${connections} connections (= producer workers, maxDelay 0, batch 1), ${seconds} s per run after a 1 s warm-up in the same process, one process per run, ${rounds} interleaved rounds; ratios = median of per-round ratios. Non-200 or errors: ${errors}.`,
        `req/s ranges: producer ${round(p.min)}..${round(p.max)}; autocannon ${round(a.min)}..${round(a.max)}; undici loop ${round(u.min)}..${round(u.max)}; undici loop with unique bodies ${round(uu.min)}..${round(uu.max)}.`,
        'Per request the producer draws a new reading (randomUUID), serialises it, keeps an HDR histogram and per-reading accounting, arms a per-request timeout (a timer cleared when the request ends) and parses the JSON answer; the bare loops read the answer as text; autocannon writes one pre-built request buffer on raw sockets.',
      ],
      details: { connections, seconds, rounds, runs },
      elapsedMs: performance.now() - t0,
    };
  } finally {
    await server.stop();
  }
}
