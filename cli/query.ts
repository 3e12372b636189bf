/**
 * `npm run query -- "<SQL>"`: SQL over push_pipeline.events on the target the kit uses.
 * Exit 0 with the result on stdout; 2 for a usage error, bad SQL, an unknown column or a target
 * with nothing to query (one line on stderr, never a stack); 1 for anything else.
 */
import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { createQueryEngine } from '../query';
import { QueryError } from '../query/errors';
import { formatResult, type OutputFormat } from '../query/format';
import { resolveTarget, type TargetFlags, targetChoices } from './query-target';

/** Output of a run: the CLI writes to the process, tests collect it. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const newProgram = () =>
  new Command('npm run query --')
    .description(
      "Run SQL over the landed readings: push_pipeline.events (or events), the Athena table's names, columns and partitions.\n" +
        "embedded: DuckDB over the emulator's objects; endpoint: DuckDB over the bucket via the S3 API; aws: Athena.",
    )
    .argument('[sql]', 'the query (or --file)')
    .option('-f, --file <file>', 'read the query from a file')
    .addOption(new Option('--json', 'one JSON object per row').conflicts('csv'))
    .option('--csv', 'CSV with a header line')
    .addOption(
      new Option(
        '-t, --target <target>',
        'where the readings are (default: PIPELINE_TARGET or embedded)',
      ).choices(targetChoices),
    )
    .option('--data-dir <dir>', 'embedded: the emulator data directory', '.pipeline')
    .option(
      '--bucket <name>',
      "embedded/endpoint: the bucket (default: the emulator's / the stack's)",
    )
    .option('--endpoint <url>', 'endpoint: the S3/LocalStack endpoint (default AWS_ENDPOINT_URL)')
    .option('--stack-name <name>', 'endpoint/aws: the stack (default STACK_NAME or PushPipeline)')
    .option('--region <region>', 'endpoint/aws: the region (default AWS_REGION)')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });

async function readSql(sql: string | undefined, file: string | undefined): Promise<string> {
  if (sql !== undefined && file !== undefined) {
    throw new QueryError('give the SQL as an argument or with --file, not both');
  }
  if (file !== undefined) {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new QueryError(`cannot read --file ${file}: ${(error as Error).message}`);
    }
  }
  if (sql === undefined || sql.trim() === '') {
    throw new QueryError(
      'no SQL given; e.g. npm run query -- "SELECT temp_group, count(*) FROM push_pipeline.events GROUP BY 1"',
    );
  }
  return sql;
}

/** Runs one command line (argv without node and script); resolves with the exit code. */
export async function runQueryCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  try {
    return await run(argv, env, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`query: ${message}\n`);
    return error instanceof QueryError ? error.exitCode : 1;
  }
}

async function run(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const program = newProgram();
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help
      io.stderr(
        `query: ${error.message.replace(/^error: /, '')}\nRun \`npm run query -- --help\` for usage.\n`,
      );
      return 2;
    }
    throw error;
  }
  const flags = program.opts<TargetFlags & { file?: string; json?: boolean; csv?: boolean }>();
  const format: OutputFormat = flags.json ? 'json' : flags.csv ? 'csv' : 'table';
  const sql = await readSql(program.args[0], flags.file);
  const target = await resolveTarget(flags, env);
  const engine = await createQueryEngine(target);
  try {
    const result = await engine.query(sql);
    io.stdout(formatResult(result, format));
    return 0;
  } finally {
    await engine.close();
  }
}

if (require.main === module) {
  runQueryCli(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
