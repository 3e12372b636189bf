/**
 * `npm run dev`: the embedded pipeline, kept running, reloading the handler when its sources
 * change. Writes API_URL and API_KEY into .env, so `npm run producer -- <flags>` works at once.
 * Ctrl+C stops it cleanly: requests in flight finish first.
 *
 * It is the emulator image's entry too (docker-compose.emulator.yml): `--host 0.0.0.0` serves
 * other containers, and `--write-env <file>=<origin>` writes an env file for readers that reach
 * the gateway at another URL, e.g. `/shared/pipeline.env=http://emulator:4566` for the producer
 * container. (Not `--env-file`: Node 24 reads every `--env-file <f>` in argv, the script's too, as
 * its own flag, and exits when the file does not exist yet; so `--dotenv` names the main one.)
 */
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { type StartedConsole, startConsole } from '../console/server';
import { producerEnv, verifyEnv, writeEnvFile } from '../deployment/env-file';
import { DEFAULT_CONCURRENCY, EmbeddedPipeline, type StartedPipeline } from '../emulator';
import { FAULTS_PATH } from '../emulator/faults/control-api';
import { FaultSpecError, parseFaultSpec } from '../emulator/faults/spec';
import { errorCode } from '../model/error-code';
import { stopOnSignals } from '../producer/cli/signals';
import { createQueryEngine, type QueryEngine } from '../query';

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

/** An env file to write, and the origin its readers reach the gateway at (unset: the bound one). */
interface EnvFileTarget {
  file: string;
  origin?: string;
}

function envFileTarget(value: string, previous: EnvFileTarget[] | undefined): EnvFileTarget[] {
  const at = value.search(/=https?:\/\//);
  if (at <= 0) {
    throw new InvalidArgumentError('give it as <file>=<origin>, e.g. .env=http://localhost:4566');
  }
  const url = URL.parse(value.slice(at + 1));
  if (url === null || url.pathname !== '/' || url.search !== '') {
    throw new InvalidArgumentError(
      `${value.slice(at + 1)} is not an origin; give it like http://emulator:4566`,
    );
  }
  return [...(previous ?? []), { file: value.slice(0, at), origin: url.origin }];
}

const program = new Command('npm run dev --')
  .description('Run the pipeline locally (emulator) and reload the handler on change.')
  .option('--host <address>', 'interface to listen on (0.0.0.0: every one)', '127.0.0.1')
  .option('--port <port>', `gateway port (default ${defaultPort}, or a free one if busy)`, port)
  .option('--s3-port <port>', 'S3 endpoint port (default: a free one)', port, 0)
  .option('--data-dir <dir>', 'emulator state: API key, bundles, logs, S3 objects', '.pipeline')
  .option('--dotenv <file>', 'where to write API_URL and API_KEY', '.env')
  .option(
    '--write-env <file=origin>',
    'another env file to write (repeatable), for readers reaching the gateway at origin, e.g. ' +
      '/shared/pipeline.env=http://emulator:4566 (S3: the same host, --s3-port)',
    envFileTarget,
  )
  .option('--no-watch', 'do not reload the handler when its sources change')
  .option('--concurrency <n>', 'function instances at once', positiveInteger, DEFAULT_CONCURRENCY)
  .option(
    '--console-port <port>',
    `the console's port (default ${defaultConsolePort}, or a free one if busy)`,
    port,
  )
  .option('--no-console', 'do not serve the console')
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

/**
 * What an env file gets. Without an origin: the bound URL, and no S3 settings (`npm run verify`
 * reads the data directory itself). With one: the gateway (in LocalStack's path form, as on a
 * LocalStack deploy) and the S3 endpoint under that origin's host, for readers elsewhere.
 */
function envFor(pipeline: StartedPipeline, origin: string | undefined): Record<string, string> {
  if (origin === undefined) {
    const apiUrl = new URL(pipeline.apiUrl);
    // Bound to every interface: this machine reaches it on loopback.
    if (apiUrl.hostname === '0.0.0.0' || apiUrl.hostname === '[::]') apiUrl.hostname = '127.0.0.1';
    return {
      ...producerEnv({ apiUrl: apiUrl.toString(), apiKey: pipeline.apiKey }),
      ...verifyEnv({ bucket: '', s3: {} }),
    };
  }
  const apiUrl = new URL(pipeline.apiUrl);
  const s3 = new URL(origin);
  s3.port = new URL(pipeline.s3.endpoint).port;
  return {
    ...producerEnv({
      apiUrl: `${origin}/_aws/execute-api/${pipeline.apiId}${apiUrl.pathname}`,
      apiKey: pipeline.apiKey,
    }),
    ...verifyEnv({ bucket: pipeline.bucket, s3: { endpoint: s3.origin } }),
  };
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
    host: string;
    port?: number;
    s3Port: number;
    dataDir: string;
    dotenv: string;
    writeEnv?: EnvFileTarget[];
    watch: boolean;
    concurrency: number;
    fault: string[];
    consolePort?: number;
    console: boolean;
  };
  const start = (gatewayPort: number): Promise<StartedPipeline> =>
    new EmbeddedPipeline({
      dataDir: opts.dataDir,
      host: opts.host,
      port: gatewayPort,
      s3Port: opts.s3Port,
      concurrency: opts.concurrency,
      watch: opts.watch,
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
  let webConsole: StartedConsole | undefined;
  // The console's SQL box: DuckDB is loaded on the first query, not at start.
  let engine: Promise<QueryEngine> | undefined;
  const queryEngine = (): Promise<QueryEngine> =>
    (engine ??= createQueryEngine({
      kind: 'embedded',
      dataDir: pipeline.dataDir,
      bucket: pipeline.bucket,
    }));
  if (opts.console) {
    // The console binds where the gateway does (loopback unless --host says otherwise, as in the
    // emulator container, whose ports compose publishes on the host's loopback only).
    const serve = (consolePort: number) =>
      startConsole({
        pipeline,
        host: opts.host,
        port: consolePort,
        faults: pipeline.faults,
        queryRunner: { query: async (sql) => (await queryEngine()).query(sql) },
      });
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
  const written: string[] = [];
  for (const target of [{ file: opts.dotenv }, ...(opts.writeEnv ?? [])]) {
    const file = path.resolve(target.file);
    await writeEnvFile(file, envFor(pipeline, target.origin));
    written.push(displayPath(file));
  }
  process.stdout.write(
    [
      `API_URL=${pipeline.apiUrl}`,
      `API_KEY=${pipeline.apiKey}`,
      ...(webConsole ? [`Console ${webConsole.url}`] : []),
      `S3 endpoint ${pipeline.s3.endpoint}, bucket ${pipeline.bucket}`,
      `data directory ${pipeline.dataDir} (objects in ${path.join(pipeline.s3Dir, pipeline.bucket)})`,
      `wrote API_URL and API_KEY to ${written.join(', ')}; try: npm run producer -- --n-events 20`,
      `faults: ${opts.fault.length === 0 ? 'none' : opts.fault.join(', ')} (set and clear them at ${new URL(FAULTS_PATH, pipeline.apiUrl).href})`,
      opts.watch ? 'watching the handler sources; Ctrl+C stops' : 'Ctrl+C stops',
      '',
    ].join('\n'),
  );
  stopOnSignals({
    name: 'npm run dev',
    onStop: (received) => {
      process.stderr.write(`\n${received}: stopping (press Ctrl+C again to exit at once)\n`);
      Promise.all([webConsole?.stop(), engine?.then((e) => e.close()), pipeline.stop()]).then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`stop failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm run dev failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
