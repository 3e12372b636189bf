/**
 * `npm run dev`: the embedded pipeline, kept running, reloading the handler when its sources
 * change. Writes API_URL and API_KEY into .env, so `npm run producer -- <flags>` works at once.
 * Ctrl+C stops it cleanly: requests in flight finish first.
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { type StartedConsole, startConsole } from '../../console/server';
import { producerEnv, writeEnvFile } from '../../pipeline/env-file';
import { errorCode } from '../error-code';
import { EmbeddedPipeline, type StartedPipeline } from '../index';
import { stopOnSignals } from './signals';

/** A fixed default port keeps API_URL the same across restarts; busy, a free one is taken. */
const defaultPort = 4680;
/** The console's, likewise: a bookmark keeps working. */
const defaultConsolePort = 4681;

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new InvalidArgumentError('must be a port number (0 for any free port)');
  }
  return parsed;
}

const program = new Command('npm run dev --')
  .description('Run the pipeline locally (emulator) and reload the handler on change.')
  .option('--port <port>', `gateway port (default ${defaultPort}, or a free one if busy)`, port)
  .option('--s3-port <port>', 'S3 endpoint port (default: a free one)', port, 0)
  .option('--data-dir <dir>', 'emulator state: API key, bundles, logs, S3 objects', '.pipeline')
  .option('--env-file <file>', 'where to write API_URL and API_KEY', '.env')
  .option('--concurrency <n>', 'function instances at once', positiveInteger, 4)
  .option(
    '--console-port <port>',
    `the console's port (default ${defaultConsolePort}, or a free one if busy)`,
    port,
  )
  .option('--no-console', 'do not serve the console');

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('must be a whole number >= 1');
  return parsed;
}

/** Relative to the working directory when inside it, else absolute. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

function isAddressInUse(error: unknown): boolean {
  return errorCode(error) === 'EADDRINUSE';
}

async function main(): Promise<void> {
  const opts = program.parse().opts<{
    port?: number;
    s3Port: number;
    dataDir: string;
    envFile: string;
    concurrency: number;
    consolePort?: number;
    console: boolean;
  }>();
  const start = (gatewayPort: number): Promise<StartedPipeline> =>
    new EmbeddedPipeline({
      dataDir: opts.dataDir,
      port: gatewayPort,
      s3Port: opts.s3Port,
      concurrency: opts.concurrency,
      watch: true,
      // In development the function's output belongs on the terminal.
      functionLogs: 'console',
    }).start();
  let pipeline: StartedPipeline;
  try {
    pipeline = await start(opts.port ?? defaultPort);
  } catch (error) {
    if (opts.port !== undefined || !isAddressInUse(error)) throw error;
    process.stderr.write(`[emulator] port ${defaultPort} is busy; using a free port\n`);
    pipeline = await start(0);
  }
  let webConsole: StartedConsole | undefined;
  if (opts.console) {
    // At merge the query feature's engine (queryRunner) and pipeline.faults are passed here too.
    const serve = (consolePort: number) => startConsole({ pipeline, port: consolePort });
    try {
      webConsole = await serve(opts.consolePort ?? defaultConsolePort);
    } catch (error) {
      if (opts.consolePort !== undefined || !isAddressInUse(error)) {
        await pipeline.stop();
        throw error;
      }
      process.stderr.write(
        `[emulator] port ${defaultConsolePort} is busy; console on a free port\n`,
      );
      webConsole = await serve(0);
    }
  }
  const envFile = path.resolve(opts.envFile);
  await writeEnvFile(envFile, producerEnv(pipeline));
  process.stdout.write(
    [
      `API_URL=${pipeline.apiUrl}`,
      `API_KEY=${pipeline.apiKey}`,
      ...(webConsole ? [`Console ${webConsole.url}`] : []),
      `S3 endpoint ${pipeline.s3.endpoint}, bucket ${pipeline.bucket}`,
      `data directory ${pipeline.dataDir} (objects in ${path.join(pipeline.s3Dir, pipeline.bucket)})`,
      `wrote API_URL and API_KEY to ${displayPath(envFile)}; try: npm run producer -- --n-events 20`,
      'watching the handler sources; Ctrl+C stops',
      '',
    ].join('\n'),
  );
  stopOnSignals(() => {
    Promise.all([webConsole?.stop(), pipeline.stop()]).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm run dev failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
