/**
 * `npm run dev`: the embedded pipeline, kept running, reloading the handler when its sources
 * change. Writes API_URL and API_KEY into .env, so `npm run producer -- <flags>` works at once.
 * Ctrl+C stops it cleanly: requests in flight finish first.
 */
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { producerEnv, writeEnvFile } from '../../pipeline/env-file';
import { errorCode } from '../error-code';
import { FAULTS_PATH } from '../faults/control-api';
import { FaultSpecError, parseFaultSpec } from '../faults/spec';
import { EmbeddedPipeline, type StartedPipeline } from '../index';
import { stopOnSignals } from './signals';

/** A fixed default port keeps API_URL the same across restarts; busy, a free one is taken. */
const defaultPort = 4680;

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
    '--fault <spec>',
    'inject a fault, repeatable: e.g. s3.put:503@0.2, function:throw#3, gateway:429@0.1 (README "Fault injection")',
    faultSpec,
    [],
  )
  // A usage error exits 2 (commander's default is 1), as the producer's and verify's do.
  .exitOverride();

function faultSpec(value: string, previous: string[]): string[] {
  try {
    parseFaultSpec(value);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  return [...previous, value];
}

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

function parseArgs(): ReturnType<typeof program.opts> {
  try {
    return program.parse().opts();
  } catch (error) {
    // commander printed the message; help and --version exit 0.
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    throw error;
  }
}

async function main(): Promise<void> {
  const opts = parseArgs() as {
    port?: number;
    s3Port: number;
    dataDir: string;
    envFile: string;
    concurrency: number;
    fault: string[];
  };
  const start = (gatewayPort: number): Promise<StartedPipeline> =>
    new EmbeddedPipeline({
      dataDir: opts.dataDir,
      port: gatewayPort,
      s3Port: opts.s3Port,
      concurrency: opts.concurrency,
      watch: true,
      faults: opts.fault,
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
  const envFile = path.resolve(opts.envFile);
  await writeEnvFile(envFile, producerEnv(pipeline));
  process.stdout.write(
    [
      `API_URL=${pipeline.apiUrl}`,
      `API_KEY=${pipeline.apiKey}`,
      `S3 endpoint ${pipeline.s3.endpoint}, bucket ${pipeline.bucket}`,
      `data directory ${pipeline.dataDir} (objects in ${path.join(pipeline.s3Dir, pipeline.bucket)})`,
      `wrote API_URL and API_KEY to ${displayPath(envFile)}; try: npm run producer -- --n-events 20`,
      `faults: ${opts.fault.length === 0 ? 'none' : opts.fault.join(', ')} (set and clear them at ${new URL(FAULTS_PATH, pipeline.apiUrl).href})`,
      'watching the handler sources; Ctrl+C stops',
      '',
    ].join('\n'),
  );
  stopOnSignals(() => {
    pipeline.stop().then(
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
