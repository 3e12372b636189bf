/**
 * B6: what the console costs the emulator. B2's batch-1 load (the producer at full speed) against
 * the emulator with no console, with the console served but no page open, with a server-sent event
 * client reading the live stream (what a page receives), and with the real page open in headless
 * Chromium (when /usr/bin/chromium or CHROMIUM_PATH is there). The console runs in the emulator's
 * process, as `npm run dev` serves it. Runs are interleaved; ratios are medians of per-round ratios.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { runProducer } from '../producer';
import { chromiumPath, hasChromium, launchChromium } from '../test-browser/chromium';
import { B2_WORKERS, WIDE_THROTTLE } from './b2-load';
import { startEmulatorProcess } from './emulator-process';
import { interleave } from './interleave';
import { atLeast, type BenchContext, type BenchResult } from './result';
import { pairedRatio, round, summarise } from './stats';

/** The issue's bar: throughput with the page open within 0.9 of without. */
const TARGET = 0.9;

interface Run {
  readingsPerSec: number;
  p99: number;
  errors: number;
  /** Live-stream events the watcher received during the run (0 without one). */
  events: number;
  /** The emulator process's CPU (all threads) per confirmed reading, ms. */
  emulatorCpuPerReading: number;
  /** Chromium's CPU (every process of the browser) per second of the run, ms; 0 without it. */
  browserCpuPerSecond: number;
}

/**
 * CPU ms of a process and all its descendants, from /proc (Linux): Chromium is a browser process
 * with renderer, GPU and utility children.
 */
function processTreeCpuMs(rootPid: number): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  for (const [pid, ms] of cpu) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === rootPid) {
        total += ms;
        break;
      }
    }
  }
  return total;
}

/** The pid of the Chromium started with this profile (its --user-data-dir). */
function browserPid(profile: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(`--user-data-dir=${profile}`) && !cmdline.includes('--type=')) {
        return Number(entry);
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return undefined;
}

/** Reads the console's stream as a page does (each event's JSON parsed) until stopped. */
function watchStream(url: string): { stop(): Promise<number> } {
  const controller = new AbortController();
  let events = 0;
  const reading = (async () => {
    const response = await fetch(new URL('api/stream', url), { signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body ?? []) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        if (data !== undefined) {
          JSON.parse(data);
          events += 1;
        }
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return {
    async stop() {
      controller.abort();
      await reading;
      return events;
    },
  };
}

export async function b6ConsoleOverhead(ctx: BenchContext): Promise<BenchResult> {
  const t0 = performance.now();
  const seconds = ctx.quick ? 3 : 5;
  const rounds = ctx.quick ? 2 : 4;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-bench-b6-'));
  const emulator = await startEmulatorProcess({ dataDir, throttle: WIDE_THROTTLE });
  const { target } = emulator.ready;
  const chromiumThere = hasChromium();
  let browser: BrowserContext | undefined;
  let profile: string | undefined;
  let consoleUrl: string | undefined;

  const withConsole = async (on: boolean): Promise<string | undefined> => {
    if (on) consoleUrl ??= await emulator.startConsole();
    else if (consoleUrl !== undefined) {
      await emulator.stopConsole();
      consoleUrl = undefined;
    }
    return consoleUrl;
  };

  let chromiumPid: number | undefined;
  const emulatorCpuMs = async () =>
    Object.values(await emulator.cpu()).reduce((sum, ms) => sum + ms, 0);

  const load = async (
    watched: { stop(): Promise<number> } | undefined,
    pageOpen = false,
  ): Promise<Run> => {
    const cpu0 = await emulatorCpuMs();
    const browser0 = chromiumPid === undefined ? 0 : processTreeCpuMs(chromiumPid);
    const started = performance.now();
    const s = await runProducer({
      apiUrl: target.apiUrl,
      apiKey: target.apiKey,
      nWorkers: B2_WORKERS,
      maxDelay: 0,
      batchSize: 1,
      duration: seconds,
      maxRetries: 0,
      timeoutMs: 60_000,
    });
    const elapsedS = (performance.now() - started) / 1000;
    const browserMs = chromiumPid === undefined ? 0 : processTreeCpuMs(chromiumPid) - browser0;
    const emulatorMs = (await emulatorCpuMs()) - cpu0;
    const events = (await watched?.stop()) ?? 0;
    return {
      readingsPerSec: s.throughput,
      p99: s.latencyMs.p99,
      errors: s.failed + s.aborted,
      events,
      emulatorCpuPerReading: emulatorMs / Math.max(1, s.acked),
      browserCpuPerSecond: pageOpen ? browserMs / elapsedS : 0,
    };
  };

  try {
    if (chromiumThere) {
      profile = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-bench-b6-chromium-'));
      browser = await launchChromium(profile);
      chromiumPid = browserPid(profile);
    }
    const openBrowser = browser;
    const variants: Record<string, () => Promise<Run>> = {
      noConsole: async () => {
        await withConsole(false);
        return load(undefined);
      },
      consoleNoPage: async () => {
        await withConsole(true);
        return load(undefined);
      },
      sseClient: async () => {
        const url = await withConsole(true);
        return load(url === undefined ? undefined : watchStream(url));
      },
      ...(openBrowser
        ? {
            browserPage: async () => {
              const url = (await withConsole(true)) ?? '';
              const page = await openBrowser.newPage();
              await page.goto(url);
              await page.locator('#connection[data-state="live"]').waitFor();
              // The page is open before the load starts, as while a user watches: its first
              // listing of the bucket is over.
              await page
                .locator('#objects-note')
                .filter({ hasText: /newest of/ })
                .waitFor();
              return load(
                {
                  async stop() {
                    // What the page counted: it kept up with the stream.
                    const shown = (await page.locator('#total-requests').textContent()) ?? '0';
                    await page.close();
                    return Number(shown.replace(/\D/g, ''));
                  },
                },
                true,
              );
            },
          }
        : {}),
    };

    ctx.log('  b6 warm-up');
    await withConsole(true);
    await load(undefined);
    const runs: Record<string, Run[] | undefined> = await interleave(
      variants,
      rounds,
      (name, i, r) =>
        ctx.log(
          `  b6 round ${i + 1} ${name}: ${r.readingsPerSec.toFixed(0)} readings/s, p99 ${r.p99.toFixed(1)} ms, emulator CPU ${r.emulatorCpuPerReading.toFixed(2)} ms/reading${r.browserCpuPerSecond > 0 ? `, Chromium CPU ${r.browserCpuPerSecond.toFixed(0)} ms/s` : ''}${r.events > 0 ? `, watcher saw ${r.events}` : ''}`,
        ),
    );
    const rate = (runList: readonly Run[] | undefined) =>
      (runList ?? []).map((r) => r.readingsPerSec);
    const med = (runList: readonly Run[] | undefined) =>
      runList === undefined ? null : round(summarise(rate(runList)).median);
    const sseRatio = pairedRatio(rate(runs.sseClient), rate(runs.noConsole));
    const servedRatio = pairedRatio(rate(runs.consoleNoPage), rate(runs.noConsole));
    const pageRuns = runs.browserPage;
    const cpuMed = (runList: readonly Run[]) =>
      round(summarise(runList.map((r) => r.emulatorCpuPerReading)).median, 3);
    const cpuRatio = pairedRatio(
      (runs.noConsole ?? []).map((r) => r.emulatorCpuPerReading),
      (runs.sseClient ?? []).map((r) => r.emulatorCpuPerReading),
    );
    const pageRatio =
      pageRuns === undefined ? null : pairedRatio(rate(pageRuns), rate(runs.noConsole));
    const errors = Object.values(runs)
      .flatMap((r) => r ?? [])
      .reduce((n, r) => n + r.errors, 0);
    const silentWatchers = (runs.sseClient ?? []).filter((r) => r.events < seconds - 1).length;
    return {
      id: 'b6',
      title: 'Console overhead on the embedded emulator',
      metrics: [
        { name: 'no console', value: med(runs.noConsole), unit: 'readings/s' },
        { name: 'console served, no page', value: med(runs.consoleNoPage), unit: 'readings/s' },
        { name: 'console + SSE client', value: med(runs.sseClient), unit: 'readings/s' },
        {
          name: 'console + page in Chromium',
          value: med(pageRuns),
          unit: 'readings/s',
          ...(pageRuns === undefined ? { note: `no Chromium at ${chromiumPath}` } : {}),
        },
        {
          name: 'emulator CPU per reading: none / served / SSE / page',
          value: [runs.noConsole, runs.consoleNoPage, runs.sseClient, pageRuns]
            .map((r) => (r === undefined ? '–' : String(cpuMed(r))))
            .join(' / '),
          unit: 'ms',
        },
        {
          name: 'ratio emulator CPU per reading, no console / SSE client',
          value: round(cpuRatio, 2),
          target: `>= ${TARGET}`,
          ok: atLeast(cpuRatio, TARGET),
          note: 'CPU per reading is what the console adds to each request; unlike readings/s it does not depend on what else the machine runs',
        },
        {
          name: 'Chromium CPU with the page open',
          value:
            pageRuns === undefined
              ? null
              : round(summarise(pageRuns.map((r) => r.browserCpuPerSecond)).median),
          unit: 'ms per s',
        },
        {
          name: 'ratio console served / no console',
          value: round(servedRatio, 2),
        },
        {
          name: 'ratio SSE client open / no console',
          value: round(sseRatio, 2),
          target: `>= ${TARGET}`,
          ok: atLeast(sseRatio, TARGET),
        },
        {
          name: 'ratio page open in Chromium / no console',
          value: pageRatio === null ? null : round(pageRatio, 2),
          target: `>= ${TARGET}`,
          ...(pageRatio === null ? {} : { ok: atLeast(pageRatio, TARGET) }),
        },
      ],
      notes: [
        `B2's batch-1 load: producer ${B2_WORKERS} workers, maxDelay 0, no retries, throttle widened; ${seconds} s per run, ${rounds} interleaved rounds after a warm-up. Emulator CPU: all its threads, from /proc, per confirmed reading. The console runs in the emulator's process; the SSE client (every event's JSON parsed) and Chromium run on the same 2 cores as the load generator, so the page's own rendering is charged too. Failed readings: ${errors}. SSE runs with fewer than ${seconds - 1} events: ${silentWatchers}.`,
      ],
      details: { workers: B2_WORKERS, seconds, rounds, runs },
      elapsedMs: performance.now() - t0,
    };
  } finally {
    await browser?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await emulator.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
