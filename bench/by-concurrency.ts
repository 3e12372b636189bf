/**
 * `npm run bench -- concurrency`: what each function instance costs and buys. One emulator process
 * per concurrency (1 up to the default), all started at once, each driven in turn by B2's producer
 * load (batch 1, then batch 100) in interleaved rounds. Prints readings/s against the default
 * concurrency (median of per-round ratios), the emulator's CPU per reading and each process's peak
 * RSS, and writes bench/results/by-concurrency-latest.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CONCURRENCY } from '../emulator';
import { produceB2Load, WIDE_THROTTLE, warmUpB2Load } from './b2-load';
import { B2_TARGETS } from './b2-pipeline-throughput';
import { type EmulatorProcess, startEmulatorProcess } from './emulator-process';
import { interleave } from './interleave';
import { resultsDir } from './paths';
import { median, pairedRatio, round } from './stats';
import { cpuDelta } from './thread-cpu';

/** Issue 15: B2's peak RSS target, losing at most this share of batch-1 throughput. */
const RSS_TARGET_MB = B2_TARGETS.rssMB;
const MAX_BATCH1_LOSS = 0.1;

export interface ConcurrencyRun {
  batch1: number;
  batch100: number;
  /** The emulator's CPU (all threads) per reading, batch 1. */
  cpuMsPerReadingBatch1: number;
}

export interface ConcurrencyRow {
  concurrency: number;
  batch1: number;
  batch100: number;
  /** Median of per-round ratios against the default concurrency's run of the same round. */
  batch1VsDefault: number;
  batch100VsDefault: number;
  cpuMsPerReadingBatch1: number;
  peakRssMb: number;
  /** Under the RSS target and within the allowed batch-1 loss. */
  meetsTarget: boolean;
}

/** One row per concurrency from the interleaved runs and each process's peak RSS. */
export function summariseByConcurrency(
  runs: ReadonlyMap<number, readonly ConcurrencyRun[]>,
  peakRssMb: ReadonlyMap<number, number>,
  defaultConcurrency: number,
): ConcurrencyRow[] {
  const base = runs.get(defaultConcurrency);
  if (base === undefined)
    throw new Error(`no runs at the default concurrency ${defaultConcurrency}`);
  return [...runs].map(([concurrency, rs]) => {
    const batch1VsDefault = pairedRatio(
      rs.map((r) => r.batch1),
      base.map((r) => r.batch1),
    );
    const peak = peakRssMb.get(concurrency) ?? Number.NaN;
    return {
      concurrency,
      batch1: median(rs.map((r) => r.batch1)),
      batch100: median(rs.map((r) => r.batch100)),
      batch1VsDefault,
      batch100VsDefault: pairedRatio(
        rs.map((r) => r.batch100),
        base.map((r) => r.batch100),
      ),
      cpuMsPerReadingBatch1: median(rs.map((r) => r.cpuMsPerReadingBatch1)),
      peakRssMb: peak,
      meetsTarget: peak <= RSS_TARGET_MB && batch1VsDefault >= 1 - MAX_BATCH1_LOSS,
    };
  });
}

export function formatByConcurrency(rows: readonly ConcurrencyRow[], defaultConcurrency: number) {
  const lines = [
    '| concurrency | batch 1 | vs default | batch 100 | vs default | CPU/reading b1 | peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.concurrency}${r.concurrency === defaultConcurrency ? ' (default)' : ''} | ${round(r.batch1)}/s | ${round(r.batch1VsDefault, 2)} | ${round(r.batch100)}/s | ${round(r.batch100VsDefault, 2)} | ${round(r.cpuMsPerReadingBatch1, 2)} ms | ${round(r.peakRssMb)} MB |`,
    ),
  ];
  const meeting = rows.filter((r) => r.meetsTarget).map((r) => r.concurrency);
  lines.push(
    '',
    meeting.length > 0
      ? `Peak RSS <= ${RSS_TARGET_MB} MB within ${MAX_BATCH1_LOSS * 100} % of the default's batch-1 throughput: concurrency ${meeting.join(', ')}.`
      : `No concurrency keeps peak RSS <= ${RSS_TARGET_MB} MB within ${MAX_BATCH1_LOSS * 100} % of the default's batch-1 throughput.`,
  );
  return lines.join('\n');
}

async function measure(emulator: EmulatorProcess, seconds: number): Promise<ConcurrencyRun> {
  const cpu0 = await emulator.cpu();
  const batch1 = await produceB2Load(emulator, 1, seconds);
  const cpu = cpuDelta(await emulator.cpu(), cpu0);
  const batch100 = await produceB2Load(emulator, 100, seconds);
  const failed = batch1.failed + batch1.aborted + batch100.failed + batch100.aborted;
  if (failed > 0) throw new Error(`${failed} readings failed: the measurement is void`);
  const cpuMs = Object.values(cpu).reduce((a, b) => a + b, 0);
  return {
    batch1: batch1.throughput,
    batch100: batch100.throughput,
    cpuMsPerReadingBatch1: cpuMs / Math.max(1, batch1.acked),
  };
}

export async function byConcurrency(quick: boolean, log: (m: string) => void): Promise<string> {
  const seconds = quick ? 3 : 5;
  const rounds = quick ? 2 : 3;
  const levels = Array.from({ length: DEFAULT_CONCURRENCY }, (_, i) => DEFAULT_CONCURRENCY - i);
  const root = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-bench-concurrency-'));
  const emulators = new Map<number, EmulatorProcess>();
  try {
    await Promise.all(
      levels.map(async (concurrency) => {
        const dataDir = path.join(root, `c${concurrency}`);
        emulators.set(
          concurrency,
          await startEmulatorProcess({ dataDir, throttle: WIDE_THROTTLE, concurrency }),
        );
      }),
    );
    const of = (concurrency: number) => {
      const emulator = emulators.get(concurrency);
      if (emulator === undefined) throw new Error(`no emulator at concurrency ${concurrency}`);
      return emulator;
    };
    for (const concurrency of levels) {
      log(`  warm-up, concurrency ${concurrency}`);
      await warmUpB2Load(of(concurrency));
    }
    const variants = Object.fromEntries(
      levels.map((c) => [`c${c}`, () => measure(of(c), seconds)]),
    );
    const byName = await interleave(variants, rounds, (name, i, r) =>
      log(
        `  round ${i + 1} ${name}: batch 1 ${round(r.batch1)}/s, batch 100 ${round(r.batch100)}/s`,
      ),
    );
    const runs = new Map(levels.map((c) => [c, byName[`c${c}`] ?? []]));
    const peaks = new Map<number, number>();
    for (const c of levels) peaks.set(c, (await of(c).rss()).peakRss / 1024 ** 2);
    const rows = summariseByConcurrency(runs, peaks, DEFAULT_CONCURRENCY).sort(
      (a, b) => b.concurrency - a.concurrency,
    );
    log(
      `\nOne emulator process per concurrency, B2's producer load (16 workers, no pause), ${seconds} s per run, ${rounds} interleaved rounds after a warm-up; peak RSS sampled every 100 ms over the measured rounds.\n`,
    );
    log(formatByConcurrency(rows, DEFAULT_CONCURRENCY));
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(resultsDir, 'by-concurrency-latest.json');
    await writeFile(
      file,
      `${JSON.stringify({ date: new Date().toISOString(), seconds, rounds, rows, runs: Object.fromEntries(runs) }, null, 2)}\n`,
    );
    return file;
  } finally {
    await Promise.all([...emulators.values()].map((e) => e.stop()));
    await rm(root, { recursive: true, force: true });
  }
}
