import { Command, CommanderError, Option } from 'commander';
import { type ProducerOptions, ProducerOptionsError, resolveProducerOptions } from '../options';
import { readEnvFile } from './env-file';
import { parseDurationMs, parseInteger, parseNumber } from './numbers';
import { UsageError } from './usage-error';

/** How the CLI presents a run; everything else is a ProducerOptions field. */
export interface OutputOptions {
  json: boolean;
  quiet: boolean;
}

export type CliParse =
  | { kind: 'run'; options: ProducerOptions; output: OutputOptions }
  /** --help: print text and exit 0. */
  | { kind: 'exit'; code: number; stdout: string };

interface RawFlags {
  apiUrl?: string;
  apiKey?: string;
  dotenv?: string;
  nEvents?: number;
  nWorkers?: number;
  minDelay?: number;
  maxDelay?: number;
  rate?: number;
  duration?: number;
  batchSize?: number;
  seed?: number;
  timeout?: number;
  maxRetries?: number;
  report?: string;
  json?: boolean;
  quiet?: boolean;
}

const EXAMPLES = `
Examples:
  npm run producer                                 200 readings, 1 worker, 1-5 s pauses (.env from npm run dev)
  npm run producer -- --n-events 50 --n-workers 5 --max-delay 2
  npm run producer -- -n-events 50 -n-workers 5 -max-delay 2    (the original single-dash spelling)
  npm run producer -- --rate 100 --duration 30 --n-workers 8 --batch-size 10
  npm run producer -- --json --report run.json > summary.json

API URL and key come from --api-url/--api-key, else API_URL/API_KEY in the environment, else the
.env file. Exit status: 0 all readings acked, 1 some failed, 2 usage error, 130 stopped by Ctrl+C.
Ctrl+C once stops producing and waits for requests in flight (up to --timeout), twice quits at once.`;

function buildProgram(): Command {
  return new Command('producer')
    .description(
      'Sensor emulator: POSTs temperature readings {id, sensor_id, temperature, epoch} to the pipeline and reports what was stored.',
    )
    .addOption(
      new Option(
        '--api-url <url>',
        'events endpoint, or the stage URL (/events is appended) [env: API_URL]',
      ),
    )
    .addOption(new Option('--api-key <key>', 'API key sent as x-api-key [env: API_KEY]'))
    .addOption(
      new Option(
        // Not --env-file: Node 24 takes every `--env-file <f>` in argv, a script's too, as its own
        // flag and exits when f is missing, before this CLI could say anything.
        '--dotenv <path>',
        'dotenv file to read API_URL/API_KEY from (default: ./.env if present)',
      ),
    )
    .addOption(
      new Option(
        '--n-events <n>',
        'readings to send (default: 200; unlimited with --duration)',
      ).argParser(parseInteger),
    )
    .addOption(
      new Option(
        '--n-workers <n>',
        'concurrent requests = keep-alive connections (default: 1)',
      ).argParser(parseInteger),
    )
    .addOption(
      new Option(
        '--min-delay <s>',
        "each worker's shortest pause after an answer, seconds (default: 1)",
      ).argParser(parseNumber),
    )
    .addOption(
      new Option('--max-delay <s>', 'longest pause, seconds; 0 = no pause (default: 5)').argParser(
        parseNumber,
      ),
    )
    .addOption(
      new Option(
        '--rate <n>',
        'open loop: readings per second on a fixed schedule (pauses ignored)',
      ).argParser(parseNumber),
    )
    .addOption(
      new Option('--duration <s>', 'stop starting requests after this many seconds').argParser(
        parseNumber,
      ),
    )
    .addOption(
      new Option(
        '--batch-size <n>',
        'readings per request, 1-500; >1 sends a JSON array (default: 1)',
      ).argParser(parseInteger),
    )
    .addOption(
      new Option(
        '--seed <n>',
        'repeat the same ids, sensors, temperatures and pauses (epochs are always now)',
      ).argParser(parseInteger),
    )
    .addOption(
      new Option(
        '--timeout <ms>',
        'per-request timeout in milliseconds; "10s" also works (default: 10000)',
      ).argParser(parseDurationMs),
    )
    .addOption(
      new Option(
        '--max-retries <n>',
        'retries of a request on 429/5xx/network errors (default: 5)',
      ).argParser(parseInteger),
    )
    .addOption(
      new Option(
        '--report <file>',
        'write a JSON report: summary plus every reading and its outcome',
      ),
    )
    .addOption(new Option('--json', 'print the summary as one JSON object on stdout, nothing else'))
    .addOption(new Option('--quiet', 'no progress output'))
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
}

/**
 * The original project's Go-style flags (`-n-events 50`): a single-dash word longer than one letter
 * that names one of our long flags becomes `--n-events`. Anything else (e.g. `-5`) is left alone.
 */
export function normaliseArgv(argv: readonly string[], longFlags: ReadonlySet<string>): string[] {
  const end = argv.indexOf('--');
  return argv.map((arg, i) => {
    if ((end !== -1 && i >= end) || !/^-[^-]./.test(arg)) return arg;
    const name = `-${arg.split('=')[0]}`;
    return longFlags.has(name) ? `-${arg}` : arg;
  });
}

function required(value: string | undefined, flag: string, envName: string): string {
  if (value) return value;
  throw new UsageError(
    `missing ${flag === '--api-url' ? 'API URL' : 'API key'}: pass ${flag}, set ${envName} (environment or .env), or run \`npm run dev\`, which starts the local pipeline and writes .env`,
    flag,
  );
}

/**
 * Turns the command line (plus environment and .env) into producer options, or throws UsageError.
 * Pure apart from reading the .env file, so it is tested directly.
 */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): CliParse {
  const program = buildProgram();
  let help = '';
  program.configureOutput({
    writeOut: (s) => (help += s),
    writeErr: () => {},
    outputError: () => {},
  });
  const longFlags = new Set(program.options.map((o) => o.long).filter((l): l is string => !!l));
  try {
    program.parse(normaliseArgv(argv, longFlags), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') {
        return { kind: 'exit', code: 0, stdout: help };
      }
      const flag = /'(--?[\w-]+)/.exec(err.message)?.[1];
      throw new UsageError(err.message.replace(/^error: /, ''), flag);
    }
    throw err;
  }
  const f = program.opts<RawFlags>();
  const fileEnv = readEnvFile(f.dotenv, cwd);
  const options: ProducerOptions = {
    // `||`: an empty setting (API_URL= in a copied .env.example) counts as unset.
    apiUrl: required(f.apiUrl || env.API_URL || fileEnv.API_URL, '--api-url', 'API_URL'),
    apiKey: required(f.apiKey || env.API_KEY || fileEnv.API_KEY, '--api-key', 'API_KEY'),
    ...(f.nEvents !== undefined && { nEvents: f.nEvents }),
    ...(f.nWorkers !== undefined && { nWorkers: f.nWorkers }),
    ...(f.minDelay !== undefined && { minDelay: f.minDelay }),
    ...(f.maxDelay !== undefined && { maxDelay: f.maxDelay }),
    ...(f.rate !== undefined && { rate: f.rate }),
    ...(f.duration !== undefined && { duration: f.duration }),
    ...(f.batchSize !== undefined && { batchSize: f.batchSize }),
    ...(f.seed !== undefined && { seed: f.seed }),
    ...(f.timeout !== undefined && { timeoutMs: f.timeout }),
    ...(f.maxRetries !== undefined && { maxRetries: f.maxRetries }),
    ...(f.report !== undefined && { reportFile: f.report }),
  };
  try {
    resolveProducerOptions(options); // same checks runProducer makes, reported now as usage errors
  } catch (err) {
    if (err instanceof ProducerOptionsError) throw new UsageError(err.message, err.flag);
    throw err;
  }
  return { kind: 'run', options, output: { json: f.json === true, quiet: f.quiet === true } };
}
