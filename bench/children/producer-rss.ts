/**
 * B3's producer footprint: runs the producer in this process (bundled by esbuild and run on plain
 * Node, as the container image runs it) and reports its RSS: before the run, sampled peak, at the
 * end, and the getrusage peak. argv[2]: JSON {apiUrl, nEvents, nWorkers, batchSize}.
 */
import { runProducer } from '../../producer';

interface Args {
  apiUrl: string;
  nEvents: number;
  nWorkers: number;
  batchSize: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args;
  const baselineRss = process.memoryUsage.rss();
  let peakRss = baselineRss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const summary = await runProducer({
    apiUrl: args.apiUrl,
    apiKey: 'bench-key-0123456789abcdefghij',
    nEvents: args.nEvents,
    nWorkers: args.nWorkers,
    batchSize: args.batchSize,
    maxDelay: 0,
    maxRetries: 0,
  });
  clearInterval(timer);
  const finalRss = process.memoryUsage.rss();
  process.send?.({
    type: 'done',
    baselineRss,
    peakRss: Math.max(peakRss, finalRss),
    finalRss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    acked: summary.acked,
    requests: summary.requests,
    durationMs: summary.durationMs,
  });
  process.disconnect?.();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `producer-rss child failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
