/**
 * B3: start-up and footprint. Emulator ready time (cold process and in-process), handler cold
 * init, Lambda bundle size, producer image size, producer RSS over 100,000 readings.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../deployment/repo-root';
import { forkChild, messageOfType } from './child';
import { localImageSize } from './docker-image';
import { msFromLog, startEmulatorProcess } from './emulator-process';
import {
  esbuildLambdaBundle,
  type LambdaBundle,
  synthLambdaBundle,
  timeBundleInit,
} from './lambda-bundle';
import { type BenchContext, type BenchResult, below, type Metric } from './result';
import { round, summarise } from './stats';
import { startTrivialServer } from './trivial-server';

const TARGETS = { readyMs: 500, coldInitMs: 150, bundleBytes: 1024 * 1024, producerRssMB: 150 };
const MB = 1024 ** 2;

interface ProducerRss {
  type: 'done';
  baselineRss: number;
  peakRss: number;
  finalRss: number;
  maxRss: number;
  acked: number;
  requests: number;
  durationMs: number;
}

async function emulatorStartups(ctx: BenchContext, runs: number) {
  const spawnToReady: number[] = [];
  const boot: number[] = [];
  const firstStart: number[] = [];
  const warmStart: number[] = [];
  const coldInit: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-bench-b3-'));
    try {
      const emulator = await startEmulatorProcess({ dataDir });
      spawnToReady.push(emulator.spawnToReadyMs);
      boot.push(emulator.ready.bootMs);
      firstStart.push(emulator.ready.startMs);
      const init = msFromLog(emulator.ready.logLines, 'handler cold start');
      if (init !== undefined) coldInit.push(init);
      const again = await emulator.restart();
      warmStart.push(again.startMs);
      await emulator.stop();
      ctx.log(
        `  b3 emulator ${i + 1}: spawn->ready ${emulator.spawnToReadyMs.toFixed(0)} ms (boot ${emulator.ready.bootMs.toFixed(0)}, start() ${emulator.ready.startMs.toFixed(0)}), restart in-process ${again.startMs.toFixed(0)} ms, handler init ${init ?? '?'} ms`,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return { spawnToReady, boot, firstStart, warmStart, coldInit };
}

async function producerRss(
  ctx: BenchContext,
  apiUrl: string,
  bundle: string,
  nEvents: number,
  batchSize: number,
) {
  const child = forkChild(bundle, [JSON.stringify({ apiUrl, nEvents, nWorkers: 16, batchSize })], {
    plain: true,
  });
  const result = await child.next(messageOfType<ProducerRss>('done'), 300_000);
  await child.stop(5_000);
  ctx.log(
    `  b3 producer batch ${batchSize}: ${result.acked} readings in ${result.durationMs} ms, RSS ${round(result.baselineRss / MB)} -> peak ${round(result.peakRss / MB)} MB`,
  );
  return result;
}

/** Producer RSS, on the bundle the container image runs, at batch 1 and batch 100. */
async function producerFootprint(ctx: BenchContext, work: string) {
  const producerBundle = path.join(work, 'producer-rss.cjs');
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'bench/children/producer-rss.ts')],
    outfile: producerBundle,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    logLevel: 'silent',
  });
  const nEvents = ctx.quick ? 20_000 : 100_000;
  const server = await startTrivialServer();
  try {
    const url = `${server.url}/prod/events`;
    const rss1 = await producerRss(ctx, url, producerBundle, nEvents, 1);
    const rss100 = await producerRss(ctx, url, producerBundle, nEvents, 100);
    const peak1 = rss1.peakRss / MB;
    const peak100 = rss100.peakRss / MB;
    const metrics: Metric[] = [
      {
        name: `producer peak RSS, ${nEvents.toLocaleString('en-US')} readings, batch 1`,
        value: round(peak1),
        unit: 'MB',
        target: `< ${TARGETS.producerRssMB} MB`,
        ok: below(peak1, TARGETS.producerRssMB),
        note: `esbuild bundle on plain Node (as in the image), 16 workers, maxDelay 0, against the trivial server: RSS ${round(rss1.baselineRss / MB)} MB before the run, ${round(rss1.finalRss / MB)} MB at the end, getrusage peak ${round(rss1.maxRss / MB)} MB; ${rss1.acked} acked in ${rss1.durationMs} ms.`,
      },
      {
        name: `producer peak RSS, ${nEvents.toLocaleString('en-US')} readings, batch 100`,
        value: round(peak100),
        unit: 'MB',
        target: `< ${TARGETS.producerRssMB} MB`,
        ok: below(peak100, TARGETS.producerRssMB),
        note: `RSS ${round(rss100.baselineRss / MB)} MB before, ${round(rss100.finalRss / MB)} MB at the end; ${rss100.acked} acked in ${rss100.durationMs} ms.`,
      },
    ];
    return { metrics, details: { batch1: rss1, batch100: rss100 } };
  } finally {
    await server.stop();
  }
}

export async function b3StartupFootprint(ctx: BenchContext): Promise<BenchResult> {
  const t0 = performance.now();
  const work = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-bench-b3-work-'));
  try {
    if (ctx.producerRssOnly) {
      const producer = await producerFootprint(ctx, work);
      return {
        id: 'b3',
        title: 'Start-up and footprint (producer RSS only)',
        metrics: producer.metrics,
        notes: [],
        details: { producerRss: producer.details },
        elapsedMs: performance.now() - t0,
      };
    }
    // Emulator start-up.
    const startups = await emulatorStartups(ctx, ctx.quick ? 2 : 5);

    // Lambda bundle: what cdk synth uploads (full), or the same esbuild settings (quick).
    let bundle: LambdaBundle;
    let crossCheck: LambdaBundle | undefined;
    if (ctx.quick) {
      bundle = await esbuildLambdaBundle(path.join(work, 'esbuild'));
    } else {
      bundle = await synthLambdaBundle(path.join(work, 'cdk.out'));
      crossCheck = await esbuildLambdaBundle(path.join(work, 'esbuild'));
    }
    const inits: number[] = [];
    for (let i = 0; i < (ctx.quick ? 3 : 5); i++) inits.push(await timeBundleInit(bundle.file));
    ctx.log(
      `  b3 bundle ${bundle.bytes} bytes (${bundle.how}); fresh-process require ${inits.map((x) => x.toFixed(0)).join(', ')} ms`,
    );

    const image = await localImageSize('push-pipeline/producer');
    const producer = await producerFootprint(ctx, work);

    const ready = summarise(startups.spawnToReady);
    const first = summarise(startups.firstStart);
    const warm = summarise(startups.warmStart);
    const boot = summarise(startups.boot);
    const coldInit = summarise(startups.coldInit);
    const bundleInit = summarise(inits);
    const metrics: Metric[] = [
      {
        name: 'emulator cold process start -> ready',
        value: round(ready.median),
        unit: 'ms',
        target: `< ${TARGETS.readyMs} ms`,
        ok: below(ready.median, TARGETS.readyMs),
        note: `fork of \`node --import tsx\` to the ready message: node boot + tsx + loading the emulator's modules ${round(boot.median)} ms, then EmbeddedPipeline.start() ${round(first.median)} ms (median of ${ready.n}; range ${round(ready.min)}..${round(ready.max)} ms).`,
      },
      {
        name: 'emulator in-process start (modules loaded)',
        value: round(warm.median),
        unit: 'ms',
        target: `< ${TARGETS.readyMs} ms`,
        ok: below(warm.median, TARGETS.readyMs),
        note: `stop() then start() again in the same process (fresh data directory on first start, same one here); the first start() in a process took ${round(first.median)} ms. Range ${round(warm.min)}..${round(warm.max)} ms.`,
      },
      {
        name: 'handler cold init (emulator log)',
        value: round(coldInit.median),
        unit: 'ms',
        target: `< ${TARGETS.coldInitMs} ms`,
        ok: below(coldInit.median, TARGETS.coldInitMs),
        note: `"handler cold start" line: the emulator's first worker thread loading its bundle of the handler (the definition's bundling settings, source maps enabled as in the deployed function); range ${round(coldInit.min)}..${round(coldInit.max)} ms.`,
      },
      {
        name: 'handler cold init (deployable bundle, fresh process)',
        value: round(bundleInit.median),
        unit: 'ms',
        target: `< ${TARGETS.coldInitMs} ms`,
        ok: below(bundleInit.median, TARGETS.coldInitMs),
        note: `require() of the minified index.js in a fresh plain Node process, median of ${bundleInit.n}; range ${round(bundleInit.min)}..${round(bundleInit.max)} ms.`,
      },
      {
        name: 'Lambda bundle index.js',
        value: round(bundle.bytes / 1024),
        unit: 'KiB',
        target: '< 1 MiB',
        ok: below(bundle.bytes, TARGETS.bundleBytes),
        note: `${bundle.bytes} bytes from ${bundle.how}; source map ${round(bundle.mapBytes / 1024)} KiB${crossCheck ? `; esbuild with the same settings gives ${crossCheck.bytes} bytes` : ''}.`,
      },
      image.measured
        ? {
            name: 'producer container image',
            value: round(image.bytes / 1e6),
            unit: 'MB',
            note: `${image.image} (created ${image.created}), docker image inspect .Size.`,
          }
        : {
            name: 'producer container image',
            value: null,
            note: `not measured in this run: ${image.reason}.`,
          },
      ...producer.metrics,
    ];
    return {
      id: 'b3',
      title: 'Start-up and footprint',
      metrics,
      notes: [],
      details: {
        startups,
        bundle,
        crossCheck,
        bundleInitMs: inits,
        image,
        producerRss: producer.details,
      },
      elapsedMs: performance.now() - t0,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
