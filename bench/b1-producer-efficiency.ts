/**
 * B1: how close the producer gets to a dedicated load generator. The producer and autocannon take
 * turns against the same trivial server (its own process), with the same connections (= producer
 * workers), the same payload (a reading, x-api-key header) and the same duration. A bare loop of
 * undici requests (the producer's HTTP client, same pool size and body) runs in the same rounds:
 * it separates the producer's own per-request cost from its transport's.
 */
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { runProducer } from '../producer';
import { interleave } from './interleave';
import { apiKeyHeader, sampleReadingBody } from './payload';
import { atLeast, type BenchContext, type BenchResult } from './result';
import { latencyPercentiles, pairedRatio, round, summarise } from './stats';
import { startTrivialServer } from './trivial-server';

const API_KEY = 'bench-key-0123456789abcdefghij';
const TARGET_RATIO = 0.9;

interface Run {
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

export async function b1ProducerEfficiency(ctx: BenchContext): Promise<BenchResult> {
  const t0 = performance.now();
  const connections = 16;
  const seconds = ctx.quick ? 2 : 4;
  const rounds = ctx.quick ? 2 : 5;
  const server = await startTrivialServer();
  const url = `${server.url}/prod/events`;
  const body = sampleReadingBody();

  const producer = async (duration: number): Promise<Run> => {
    const s = await runProducer({
      apiUrl: url,
      apiKey: API_KEY,
      nWorkers: connections,
      maxDelay: 0,
      batchSize: 1,
      duration,
      maxRetries: 0,
    });
    const ok = s.statuses['200'] ?? 0;
    return {
      reqPerSec: ok / (s.durationMs / 1000),
      p50: s.latencyMs.p50,
      p99: s.latencyMs.p99,
      errors: s.requests - ok,
    };
  };
  const undiciLoop = async (duration: number): Promise<Run> => {
    const pool = new Pool(server.url, { connections });
    const headers = { 'content-type': 'application/json', [apiKeyHeader]: API_KEY };
    const latencies: number[] = [];
    let errors = 0;
    const t = performance.now();
    const until = t + duration * 1000;
    const loop = async () => {
      while (performance.now() < until) {
        const started = performance.now();
        const res = await pool.request({ method: 'POST', path: '/prod/events', headers, body });
        await res.body.text();
        if (res.statusCode === 200) latencies.push(performance.now() - started);
        else errors += 1;
      }
    };
    await Promise.all(Array.from({ length: connections }, loop));
    const seconds = (performance.now() - t) / 1000;
    await pool.close();
    return { reqPerSec: latencies.length / seconds, ...latencyPercentiles(latencies), errors };
  };
  const cannon = async (duration: number): Promise<Run> => {
    const r = await autocannon({
      url,
      connections,
      duration,
      method: 'POST',
      headers: { 'content-type': 'application/json', [apiKeyHeader]: API_KEY },
      body,
    });
    return {
      reqPerSec: r['2xx'] / r.duration,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.timeouts + r.non2xx,
    };
  };

  try {
    // Warm-up (JIT, connection pools), discarded.
    await producer(1);
    await cannon(1);
    await undiciLoop(1);
    const runs = await interleave(
      {
        producer: () => producer(seconds),
        autocannon: () => cannon(seconds),
        undiciLoop: () => undiciLoop(seconds),
      },
      rounds,
      (name, i, r) => ctx.log(`  b1 round ${i + 1} ${name}: ${r.reqPerSec.toFixed(0)} req/s`),
    );
    const p = summarise(runs.producer.map((r) => r.reqPerSec));
    const a = summarise(runs.autocannon.map((r) => r.reqPerSec));
    const ratio = pairedRatio(
      runs.producer.map((r) => r.reqPerSec),
      runs.autocannon.map((r) => r.reqPerSec),
    );
    const u = summarise(runs.undiciLoop.map((r) => r.reqPerSec));
    const vsUndici = pairedRatio(
      runs.producer.map((r) => r.reqPerSec),
      runs.undiciLoop.map((r) => r.reqPerSec),
    );
    const errors = [...runs.producer, ...runs.autocannon, ...runs.undiciLoop].reduce(
      (n, r) => n + r.errors,
      0,
    );
    const med = (xs: Run[], k: 'p50' | 'p99') => summarise(xs.map((r) => r[k])).median;
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
          name: 'latency p50/p99 producer',
          value: `${round(med(runs.producer, 'p50'), 2)} / ${round(med(runs.producer, 'p99'), 2)}`,
          unit: 'ms',
        },
        {
          name: 'latency p50/p99 autocannon',
          value: `${round(med(runs.autocannon, 'p50'), 2)} / ${round(med(runs.autocannon, 'p99'), 2)}`,
          unit: 'ms',
        },
      ],
      notes: [
        `${connections} connections (= producer workers, maxDelay 0, batch 1), ${seconds} s per run, ${rounds} interleaved rounds after a 1 s warm-up each; ratio = median of per-round ratios. Non-200 or errors: ${errors}.`,
        `producer req/s range ${round(p.min)}..${round(p.max)}; autocannon ${round(a.min)}..${round(a.max)}; undici loop ${round(u.min)}..${round(u.max)}.`,
        'The producer builds a new random reading (randomUUID) and JSON per request and keeps an HDR histogram; autocannon repeats one pre-built body.',
      ],
      details: { connections, seconds, rounds, runs },
      elapsedMs: performance.now() - t0,
    };
  } finally {
    await server.stop();
  }
}
