/**
 * `npm run bench [-- b1 b2 ...] [-- --quick]`: runs the benchmarks, prints a table, writes
 * bench/results/latest.json, and (full mode, all benchmarks) the generated part of RESULTS.md.
 * Not part of `npm test`: numbers depend on the machine; tests never assert on speed.
 */
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { repoRoot } from '../deployment/repo-root';
import { b1ProducerEfficiency } from './b1-producer-efficiency';
import { b2PipelineThroughput } from './b2-pipeline-throughput';
import { b3StartupFootprint } from './b3-startup-footprint';
import { b4Cost } from './b4-cost';
import { b5Query } from './b5-query';
import { b6ConsoleOverhead } from './b6-console-overhead';
import { b7NpmTest } from './b7-npm-test';
import { byConcurrency } from './by-concurrency';
import { machineInfo } from './machine';
import { profileB2 } from './profile-b2';
import type { BenchContext, BenchId, BenchResult } from './result';
import { writeJson, writeMarkdown } from './results-file';
import { formatTable } from './table';

const benchmarks: Record<BenchId, (ctx: BenchContext) => Promise<BenchResult>> = {
  b1: b1ProducerEfficiency,
  b2: b2PipelineThroughput,
  b3: b3StartupFootprint,
  b4: b4Cost,
  b5: b5Query,
  b6: b6ConsoleOverhead,
  b7: b7NpmTest,
};
const allIds = Object.keys(benchmarks) as BenchId[];

function isBenchId(value: string): value is BenchId {
  return (allIds as string[]).includes(value);
}

const program = new Command('npm run bench --')
  .description(
    'Benchmarks: B1 producer efficiency, B2 pipeline throughput, B3 start-up and footprint, B4 cost, B5 SQL queries, B6 console overhead, B7 npm test.',
  )
  .argument(
    '[benchmarks...]',
    `which to run (${allIds.join(', ')}); default all. \`profile\`: CPU profile of B2 instead; \`concurrency\`: B2's load at each function concurrency up to the default`,
  )
  .option('-q, --quick', 'shorter runs, fewer rounds (about 2 minutes)', false)
  .option('--producer-rss', "B3: only the producer's peak RSS (about a minute)", false);

async function main(): Promise<number> {
  program.parse();
  const names = program.args.map((a) => a.toLowerCase());
  const { quick, producerRss: producerRssOnly } = program.opts<{
    quick: boolean;
    producerRss: boolean;
  }>();
  if (names.includes('profile')) {
    const file = await profileB2(quick, (m) => process.stdout.write(`${m}\n`));
    process.stderr.write(`wrote ${path.relative(repoRoot, file)}\n`);
    return 0;
  }
  if (names.includes('concurrency')) {
    const file = await byConcurrency(quick, (m) => process.stdout.write(`${m}\n`));
    process.stderr.write(`wrote ${path.relative(repoRoot, file)}\n`);
    return 0;
  }
  const unknown = names.filter((n) => !isBenchId(n));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark(s): ${unknown.join(', ')}; choose from ${allIds.join(', ')}\n`,
    );
    return 2;
  }
  const selected = names.length > 0 ? allIds.filter((id) => names.includes(id)) : allIds;
  const machine = machineInfo();
  const started = performance.now();
  const earlier = new Map<BenchId, BenchResult>();
  const log = (message: string) => process.stderr.write(`${message}\n`);
  log(
    `bench: ${selected.join(', ')}${quick ? ' (quick)' : ''} on ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage1m}`,
  );
  let failed = false;
  for (const id of selected) {
    log(`${id}: running...`);
    try {
      const result = await benchmarks[id]({ quick, log, earlier, producerRssOnly });
      earlier.set(id, result);
      log(`${id}: done in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    } catch (error) {
      failed = true;
      log(
        `${id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  const results = [...earlier.values()];
  process.stdout.write(`\n${formatTable(results)}\n\n`);
  const command = `npm run bench${quick || selected.length < allIds.length ? ` -- ${[...(selected.length < allIds.length ? selected : []), ...(quick ? ['--quick'] : [])].join(' ')}` : ''}`;
  const record = {
    date: new Date().toISOString(),
    command,
    quick,
    machine,
    loadAverageAtEnd1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    elapsedMs: performance.now() - started,
    results,
  };
  const json = await writeJson(record);
  log(`wrote ${path.relative(repoRoot, json)}`);
  if (!quick && !producerRssOnly && !failed && selected.length === allIds.length) {
    const md = await writeMarkdown(record);
    log(`wrote ${path.relative(repoRoot, md)}`);
  } else {
    log('RESULTS.md left as is (it is rewritten by a full run of every benchmark)');
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
