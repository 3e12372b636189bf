/**
 * `npm start`: the whole pipeline in this process. Starts the embedded emulator, sends the original
 * project's example load with the producer, prints its summary, then checks with the AWS SDK that
 * every reading landed in S3 exactly once, transformed. Exit code 0 only if all of them did.
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_CONCURRENCY, EmbeddedPipeline } from '../emulator';
import { maskApiKey, runProducer } from '../producer';
import { stopOnSignals } from '../producer/cli/signals';
import { formatSummaryTable } from '../producer/cli/summary-table';
import { formatVerifyReport, readProducerReport, verifyLanding } from '../verify';

function number(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new InvalidArgumentError('must be a number >= 0');
  return parsed;
}

const program = new Command('npm start --')
  .description('Run the pipeline locally (emulator), send readings, verify what landed in S3.')
  .option('--n-events <n>', 'readings to send', number, 50)
  .option('--n-workers <n>', 'concurrent producer workers', number, 5)
  .option('--min-delay <s>', 'least pause between a worker’s requests (seconds)', number, 0)
  .option('--max-delay <s>', 'longest pause between a worker’s requests (seconds)', number, 2)
  .option('--batch-size <n>', 'readings per request', number, 1)
  .option('--data-dir <dir>', 'emulator state: API key, bundles, logs, S3 objects', '.pipeline')
  .option('--concurrency <n>', 'function instances at once', number, DEFAULT_CONCURRENCY);

async function main(): Promise<number> {
  const opts = program.parse().opts<{
    nEvents: number;
    nWorkers: number;
    minDelay: number;
    maxDelay: number;
    batchSize: number;
    dataDir: string;
    concurrency: number;
  }>();
  const pipeline = await new EmbeddedPipeline({
    dataDir: opts.dataDir,
    concurrency: opts.concurrency,
  }).start();
  const stop = stopOnSignals({
    name: 'npm start',
    onStop: (received) =>
      process.stderr.write(
        `\n${received}: stopping the producer (press Ctrl+C again to exit at once)\n`,
      ),
  });
  const { signal } = stop;
  try {
    // Data stays in the data directory across runs; this run is checked by its own readings.
    const reportFile = path.join(
      pipeline.dataDir,
      'runs',
      `${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    const summary = await runProducer({
      apiUrl: pipeline.apiUrl,
      apiKey: pipeline.apiKey,
      nEvents: opts.nEvents,
      nWorkers: opts.nWorkers,
      minDelay: opts.minDelay,
      maxDelay: opts.maxDelay,
      batchSize: opts.batchSize,
      reportFile,
      signal,
    });
    process.stdout.write(formatSummaryTable(summary, maskApiKey(pipeline.apiKey)));
    if (signal.aborted) return stop.exitCode ?? 130;

    const readings = await readProducerReport(reportFile);
    const report = await verifyLanding({ s3: pipeline.s3, bucket: pipeline.bucket, readings });
    const objectsDir = path.join(pipeline.s3Dir, pipeline.bucket);
    process.stdout.write(
      [
        '',
        `S3 check (${pipeline.s3.endpoint}, bucket ${pipeline.bucket}):`,
        ...formatVerifyReport(report),
        `  files on disk: ${path.relative(process.cwd(), objectsDir) || objectsDir}/`,
        ...(pipeline.functionLogFile
          ? [`  function logs: ${path.relative(process.cwd(), pipeline.functionLogFile)}`]
          : []),
        '',
      ].join('\n'),
    );
    const allConfirmed = summary.failed === 0 && summary.aborted === 0;
    if (!allConfirmed) {
      process.stdout.write(
        `Not every reading was accepted (${summary.failed} failed): see the summary above.\n`,
      );
    }
    return report.ok && allConfirmed ? 0 : 1;
  } finally {
    await pipeline.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `npm start failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
