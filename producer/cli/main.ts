/**
 * `npm run producer -- <flags>`: parse flags, run the producer with live progress on stderr, print
 * the summary on stdout. Exit 0 all acked, 1 some failed, 2 usage error, 130 Ctrl+C (143 SIGTERM).
 */

import { resolveEventsUrl } from '../events-url';
import { maskApiKey } from '../mask';
import {
  ProducerOptionsError,
  type ResolvedProducerOptions,
  resolveProducerOptions,
} from '../options';
import { runProducer } from '../run';
import { parseCliArgs } from './argv';
import { createProgressReporter, progressMode } from './progress';
import { stopOnSignals } from './signals';
import { formatSummaryTable } from './summary-table';
import { UsageError } from './usage-error';

/** The first progress line: what is about to happen, with the key masked. */
function describeRun(o: ResolvedProducerOptions, maskedKey: string): string {
  const count = Number.isFinite(o.nEvents) ? `${o.nEvents} readings` : 'readings';
  const limit = o.duration !== undefined ? ` for ${o.duration} s` : '';
  const batch = o.batchSize > 1 ? ` in batches of ${o.batchSize}` : '';
  const pace =
    o.rate !== undefined
      ? `at ${o.rate}/s (open loop, up to ${o.nWorkers} in flight)`
      : `with ${o.nWorkers} worker${o.nWorkers === 1 ? '' : 's'}, ` +
        (o.maxDelay === 0 ? 'no pause' : `pausing ${o.minDelay}-${o.maxDelay} s`);
  return `producer: sending ${count}${limit}${batch} ${pace} to ${resolveEventsUrl(o.apiUrl).href} (key ${maskedKey})`;
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv, process.env, process.cwd());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(
      `producer: ${err.message}\nRun \`npm run producer -- --help\` for usage.\n`,
    );
    return err.exitCode;
  }
  if (parsed.kind === 'exit') {
    process.stdout.write(parsed.stdout);
    return parsed.code;
  }
  const { options, output } = parsed;
  const maskedKey = maskApiKey(options.apiKey);
  const progress = createProgressReporter({
    stream: process.stderr,
    mode: progressMode(process.stderr, output.quiet),
  });
  const resolved = resolveProducerOptions(options);

  // First signal: stop producing and drain; second: leave at once.
  const stop = stopOnSignals({
    name: 'producer',
    onStop: () =>
      progress.note(
        `producer: stopping; waiting up to ${resolved.drainTimeoutMs / 1000} s for requests in flight (Ctrl+C again to quit now)`,
      ),
  });

  progress.note(describeRun(resolved, maskedKey));
  const summary = await runProducer({
    ...options,
    signal: stop.signal,
    onProgress: (s) => progress.update(s),
  });
  progress.stop({
    sent: summary.sent,
    acked: summary.acked,
    duplicates: summary.duplicates,
    failed: summary.failed,
    aborted: summary.aborted,
    requests: summary.requests,
    retries: summary.retries,
    inFlight: 0,
    elapsedMs: summary.durationMs,
    ...(Number.isFinite(resolved.nEvents) ? { total: resolved.nEvents } : {}),
    throughput: summary.throughput,
    stopping: summary.stoppedBy !== 'completed',
    done: true,
  });
  process.stdout.write(
    output.json ? `${JSON.stringify(summary)}\n` : formatSummaryTable(summary, maskedKey),
  );
  stop.dispose();
  if (summary.stoppedBy === 'signal') return stop.exitCode ?? 130;
  return summary.failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`producer: ${err instanceof Error ? err.message : String(err)}\n`);
    // An option found unusable once the run starts (e.g. --report's folder) is a usage error too.
    process.exitCode = err instanceof ProducerOptionsError ? 2 : 1;
  },
);
