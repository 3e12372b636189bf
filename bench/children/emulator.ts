/**
 * The embedded emulator in its own process, so B2 measures its RSS apart from the load generator
 * and B3 can time a cold process start. IPC protocol (see bench/emulator-process.ts):
 *   -> {type:'ready', target, dataDir, functionLogFile, bootMs, startMs, logLines}
 *   <- {type:'rss'}      -> {type:'rss', rss, peakRss, maxRss} (bytes; peak since last reset)
 *   <- {type:'reset-rss-peak'}
 *   <- {type:'cpu'}      -> {type:'cpu', threads} (CPU ms by thread group since start)
 *   <- {type:'restart'}  -> {type:'restarted', startMs, logLines} (stop + start in this process)
 *   <- {type:'console-start'} -> {type:'console', url} (the console, as `npm run dev` serves it)
 *   <- {type:'console-stop'}  -> {type:'console-stopped'}
 *   <- {type:'stop'}     -> exits once the pipeline has stopped
 * argv[2]: JSON of {dataDir, concurrency?, throttle?, workerYoungGenerationMb?}.
 */
import type { StartedConsole } from '../../console/server';
import { EmbeddedPipeline, type EmulatorLogger, type StartedPipeline } from '../../emulator';
import { threadCpu } from '../thread-cpu';

// Everything before this line is process boot and module loading (tsx, SDK, esbuild API).
const bootMs = performance.now();

interface ChildOptions {
  dataDir: string;
  concurrency?: number;
  throttle?: { rateLimit: number; burstLimit: number };
  workerYoungGenerationMb?: number;
  functionLogs?: 'file' | 'silent';
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
let logLines: string[] = [];
const logger: EmulatorLogger = {
  debug: () => {},
  info: (message) => logLines.push(message),
  warn: (message) => process.stderr.write(`[emulator] ${message}\n`),
  error: (message) => process.stderr.write(`[emulator] ${message}\n`),
};

let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};
setInterval(sample, 100).unref();

async function start(): Promise<{ pipeline: StartedPipeline; startMs: number; lines: string[] }> {
  logLines = [];
  const t0 = performance.now();
  const pipeline = await new EmbeddedPipeline({
    dataDir: options.dataDir,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.throttle !== undefined ? { throttle: options.throttle } : {}),
    ...(options.workerYoungGenerationMb !== undefined
      ? { workerYoungGenerationMb: options.workerYoungGenerationMb }
      : {}),
    ...(options.functionLogs !== undefined ? { functionLogs: options.functionLogs } : {}),
    logger,
  }).start();
  return { pipeline, startMs: performance.now() - t0, lines: logLines };
}

async function main(): Promise<void> {
  let { pipeline, startMs, lines } = await start();
  let webConsole: StartedConsole | undefined;
  sample();
  process.send?.({
    type: 'ready',
    target: {
      apiUrl: pipeline.apiUrl,
      apiKey: pipeline.apiKey,
      bucket: pipeline.bucket,
      s3: pipeline.s3,
    },
    dataDir: pipeline.dataDir,
    functionLogFile: pipeline.functionLogFile,
    bootMs,
    startMs,
    logLines: lines,
  });
  process.on('message', (message: { type?: string }) => {
    void (async () => {
      switch (message.type) {
        case 'rss':
          sample();
          process.send?.({
            type: 'rss',
            rss: process.memoryUsage.rss(),
            peakRss,
            // getrusage: kilobytes on Linux, peak since the process started.
            maxRss: process.resourceUsage().maxRSS * 1024,
          });
          return;
        case 'cpu':
          process.send?.({ type: 'cpu', threads: threadCpu() });
          return;
        case 'reset-rss-peak':
          peakRss = process.memoryUsage.rss();
          return;
        case 'restart':
          await pipeline.stop();
          ({ pipeline, startMs, lines } = await start());
          process.send?.({ type: 'restarted', startMs, logLines: lines });
          return;
        case 'console-start': {
          if (webConsole === undefined) {
            // Loaded only when asked for: B2's RSS is the emulator's, not the console's modules.
            const { startConsole } = await import('../../console/server.js');
            webConsole = await startConsole({ pipeline });
          }
          process.send?.({ type: 'console', url: webConsole.url });
          return;
        }
        case 'console-stop':
          await webConsole?.stop();
          webConsole = undefined;
          process.send?.({ type: 'console-stopped' });
          return;
        case 'stop':
          await webConsole?.stop();
          await pipeline.stop();
          process.exit(0);
      }
    })().catch((error: unknown) => {
      process.stderr.write(`emulator child: ${String(error)}\n`);
      process.exit(1);
    });
  });
  process.on('disconnect', () => {
    void pipeline.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `emulator child failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
