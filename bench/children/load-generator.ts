/**
 * B1's load generators, one run per process so no run inherits another's garbage or timers: a
 * 1 s warm-up (JIT, connections), then the measured run. argv[2]: JSON of GeneratorArgs; answers
 * {type:'done', reqPerSec, p50, p99, errors} over IPC.
 */
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { createReadingGenerator } from '../../model';
import { runProducer } from '../../producer';
import { latencyPercentiles } from '../stats';

export interface GeneratorArgs {
  kind: 'producer' | 'autocannon' | 'undici' | 'undici-unique';
  /** Origin of the trivial server. */
  origin: string;
  connections: number;
  seconds: number;
  body: string;
  apiKeyHeader: string;
  apiKey: string;
}

export interface GeneratorResult {
  type: 'done';
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

type Run = Omit<GeneratorResult, 'type'>;
const PATH = '/prod/events';

async function producer(a: GeneratorArgs, duration: number): Promise<Run> {
  const s = await runProducer({
    apiUrl: `${a.origin}${PATH}`,
    apiKey: a.apiKey,
    nWorkers: a.connections,
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
}

async function cannon(a: GeneratorArgs, duration: number): Promise<Run> {
  const r = await autocannon({
    url: `${a.origin}${PATH}`,
    connections: a.connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json', [a.apiKeyHeader]: a.apiKey },
    body: a.body,
  });
  return {
    reqPerSec: r['2xx'] / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

/**
 * The producer's transport without the producer: the same undici Pool, size and headers. With
 * `unique`, each request carries a new reading (drawn and serialised as the producer does), the
 * least any load generator of distinct readings must do; otherwise the same body every time.
 */
async function undici(a: GeneratorArgs, duration: number, unique = false): Promise<Run> {
  const pool = new Pool(a.origin, { connections: a.connections });
  const headers = { 'content-type': 'application/json', [a.apiKeyHeader]: a.apiKey };
  const nextReading = createReadingGenerator();
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const until = t0 + duration * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const body = unique ? JSON.stringify(nextReading()) : a.body;
      const started = performance.now();
      const res = await pool.request({ method: 'POST', path: PATH, headers, body });
      await res.body.text();
      if (res.statusCode === 200) latencies.push(performance.now() - started);
      else errors += 1;
    }
  };
  await Promise.all(Array.from({ length: a.connections }, loop));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  return { reqPerSec: latencies.length / seconds, ...latencyPercentiles(latencies), errors };
}

const generators: Record<GeneratorArgs['kind'], (a: GeneratorArgs, s: number) => Promise<Run>> = {
  producer,
  autocannon: cannon,
  undici: (a, s) => undici(a, s),
  'undici-unique': (a, s) => undici(a, s, true),
};

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as GeneratorArgs;
  const run = generators[args.kind];
  await run(args, 1);
  const result = await run(args, args.seconds);
  process.send?.({ type: 'done', ...result } satisfies GeneratorResult);
  process.disconnect?.();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `load generator failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
