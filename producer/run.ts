import { mulberry32, type Reading } from '../model';
import { systemClock } from './clock';
import { resolveEventsUrl } from './events-url';
import { createHttpClient } from './http-client';
import { type ProducerOptions, resolveProducerOptions } from './options';
import { createReadingSource } from './reading-source';
import { buildReport, ensureReportWritable, writeReport } from './report';
import { runClosedLoop } from './schedule/closed-loop';
import { type OpenLoopReport, runOpenLoop } from './schedule/open-loop';
import { sendBatch } from './send-batch';
import { ProducerStats, type ProgressSnapshot } from './stats';
import { buildSummary, type ProducerSummary, type StopReason } from './summary';

/**
 * Sends readings to the pipeline and resolves with what happened to them. The CLI, `npm start` and
 * the integration suite all come through here.
 *
 * Stopping: `signal` (Ctrl+C) stops producing at once, cancels pending retries, lets requests on
 * the wire finish for up to drainTimeoutMs, then cuts them; every reading is still accounted for
 * (sent = acked + failed + aborted). `duration` only stops producing: started requests finish.
 * Throws ProducerOptionsError (naming the flag) for invalid options, before sending anything.
 */
export async function runProducer(options: ProducerOptions): Promise<ProducerSummary> {
  const opts = resolveProducerOptions(options);
  const clock = opts.clock ?? systemClock;
  const url = resolveEventsUrl(opts.apiUrl);
  if (opts.reportFile !== undefined) await ensureReportWritable(opts.reportFile);
  const stats = new ProducerStats(opts.reportFile !== undefined);
  const source = createReadingSource({
    limit: opts.nEvents,
    seed: opts.seed,
    readings: opts.readings,
  });
  // A separate stream from the readings', so the pauses repeat with --seed without shifting readings.
  const random = createRandom(opts.seed === undefined ? undefined : (opts.seed ^ 0x9e3779b9) >>> 0);
  const producing = new AbortController(); // no new request may start
  const interrupt = new AbortController(); // no retry may start (Ctrl+C)
  const hard = new AbortController(); // cut requests on the wire (drain time is up)
  const client = createHttpClient({
    url,
    apiKey: opts.apiKey,
    connections: opts.nWorkers,
    timeoutMs: opts.timeoutMs,
    cut: hard.signal,
  });
  const finished = new AbortController(); // the run is over: cancel the timers below
  let stoppedBy: StopReason = 'completed';

  const onAbort = () => {
    stoppedBy = 'signal';
    producing.abort();
    interrupt.abort();
    void clock.sleep(opts.drainTimeoutMs, finished.signal).then(() => {
      if (!finished.signal.aborted) hard.abort();
    });
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });

  const t0 = clock.now();
  if (opts.duration !== undefined) {
    void clock
      .sleep(opts.duration * 1000, AbortSignal.any([producing.signal, finished.signal]))
      .then(() => {
        if (producing.signal.aborted || finished.signal.aborted) return;
        stoppedBy = 'duration';
        producing.abort();
      });
  }

  const snapshot = (done: boolean): ProgressSnapshot => {
    const elapsedMs = clock.now() - t0;
    return {
      sent: stats.sent,
      acked: stats.acked,
      duplicates: stats.duplicates,
      failed: stats.failed,
      aborted: stats.aborted,
      requests: stats.requests,
      retries: stats.retries,
      inFlight: stats.inFlight,
      elapsedMs,
      ...(Number.isFinite(opts.nEvents) ? { total: opts.nEvents } : {}),
      throughput: elapsedMs > 0 ? (stats.acked / elapsedMs) * 1000 : 0,
      stopping: producing.signal.aborted,
      done,
    };
  };
  const onProgress = opts.onProgress;
  const ticker = onProgress
    ? setInterval(() => onProgress(snapshot(false)), opts.progressIntervalMs)
    : undefined;

  const ctx = {
    source,
    batchSize: opts.batchSize,
    clock,
    producing: producing.signal,
    send: (batch: Reading[]) =>
      sendBatch(batch, {
        client,
        stats,
        clock,
        apiKey: opts.apiKey,
        asArray: opts.batchSize > 1,
        timeoutMs: opts.timeoutMs,
        maxRetries: opts.maxRetries,
        retryBaseDelayMs: opts.retryBaseDelayMs,
        retryMaxDelayMs: opts.retryMaxDelayMs,
        interrupt: interrupt.signal,
      }),
  };

  let rate: OpenLoopReport | undefined;
  try {
    if (opts.rate !== undefined) {
      rate = await runOpenLoop(ctx, { rate: opts.rate, maxInFlight: opts.nWorkers });
    } else {
      await runClosedLoop(ctx, {
        nWorkers: opts.nWorkers,
        minDelayMs: opts.minDelay * 1000,
        maxDelayMs: opts.maxDelay * 1000,
        random,
      });
    }
  } finally {
    finished.abort();
    if (ticker) clearInterval(ticker);
    opts.signal?.removeEventListener('abort', onAbort);
    await (hard.signal.aborted ? client.destroy() : client.close());
  }

  const durationMs = clock.now() - t0;
  let summary = buildSummary({
    apiUrl: url.href,
    stats,
    durationMs,
    stoppedBy,
    ...(rate ? { rate } : {}),
  });
  if (opts.reportFile !== undefined) {
    const path = await writeReport(
      opts.reportFile,
      buildReport(opts, summary, stats.records ?? []),
    );
    summary = { ...summary, reportFile: path }; // the report's own copy of the summary omits its path
  }
  onProgress?.(snapshot(true));
  return summary;
}

/** Uniform in [0, 1), from the model's seedable PRNG: a seeded run also repeats its pauses. */
function createRandom(seed: number = Math.floor(Math.random() * 2 ** 32)): () => number {
  const next = mulberry32(seed);
  return () => next() / 2 ** 32;
}
