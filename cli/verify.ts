/**
 * `npm run verify -- --report <file>`: checks a producer report against what landed in S3.
 * Where it looks:
 * - by default, the embedded emulator's data directory (served by the emulator's S3 endpoint, so
 *   the check goes through the AWS SDK as for any target);
 * - `--endpoint <url> --bucket <name>`: any S3-compatible endpoint (LocalStack), with the
 *   environment's credentials or LocalStack's test ones;
 * - `--bucket <name>` alone: the bucket on AWS, with the SDK's default credentials and region.
 * Without those flags, PIPELINE_S3_ENDPOINT and PIPELINE_BUCKET (environment, else ./.env) stand in
 * for them: `docker compose up` writes them into .env, so a plain `npm run verify -- --report <f>`
 * checks the stack compose started.
 * Exit code 0 only if the check passes, 1 if it finds a problem, 2 if it cannot run.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { parse } from 'dotenv';
import { pipelineDefinition } from '../deployment/definition';
import type { S3Settings } from '../deployment/target';
import { embeddedDefaults } from '../emulator';
import { dataLayout } from '../emulator/paths';
import { S3Endpoint } from '../emulator/s3';
import { formatVerifyReport, readProducerReport, verifyLanding } from '../verify';

const program = new Command('npm run verify --')
  .description('Check that every reading of a producer report landed in S3 once, transformed.')
  .requiredOption('--report <file>', 'the producer report (npm run producer -- --report <file>)')
  .option('--data-dir <dir>', 'the embedded emulator data directory', '.pipeline')
  .option('--endpoint <url>', 'an S3-compatible endpoint instead (e.g. http://localhost:4566)')
  .option('--bucket <name>', 'the bucket: on AWS alone, at --endpoint with it')
  .option('--prefix <prefix>', 'key prefix', pipelineDefinition.storage.keyPrefix)
  // A usage error is "cannot run" (2), not "found a problem" (1); commander prints the message.
  .exitOverride();

async function main(): Promise<number> {
  const opts = program.parse().opts<{
    report: string;
    dataDir: string;
    endpoint?: string;
    bucket?: string;
    prefix: string;
  }>();
  // Flags win: an explicit --data-dir, --endpoint or --bucket ignores the environment's target.
  const explicit = ['dataDir', 'endpoint', 'bucket'].some(
    (name) => program.getOptionValueSource(name) === 'cli',
  );
  if (!explicit) Object.assign(opts, targetFromEnv());
  const readings = await readProducerReport(path.resolve(opts.report));
  let settings: S3Settings;
  let bucket: string;
  let stop = async (): Promise<void> => {};
  if (opts.endpoint !== undefined) {
    if (opts.bucket === undefined) throw new Error('--bucket is required with --endpoint');
    bucket = opts.bucket;
    settings = {
      endpoint: opts.endpoint,
      region: process.env.AWS_REGION ?? embeddedDefaults.region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? embeddedDefaults.credentials.accessKeyId,
        secretAccessKey:
          process.env.AWS_SECRET_ACCESS_KEY ?? embeddedDefaults.credentials.secretAccessKey,
      },
    };
  } else if (opts.bucket !== undefined) {
    bucket = opts.bucket;
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error('set AWS_REGION to the region of the bucket');
    settings = { region, forcePathStyle: false };
  } else {
    bucket = embeddedDefaults.bucket;
    const { s3Dir } = dataLayout(opts.dataDir);
    if (!existsSync(path.join(s3Dir, bucket))) {
      throw new Error(
        `no embedded pipeline data in ${path.resolve(opts.dataDir)}: run npm start or npm run dev first, or pass --data-dir, or --endpoint/--bucket for another target`,
      );
    }
    const s3 = await new S3Endpoint({ dataDir: s3Dir }).start();
    stop = () => s3.stop();
    settings = {
      endpoint: s3.url,
      region: embeddedDefaults.region,
      forcePathStyle: true,
      credentials: { ...embeddedDefaults.credentials },
    };
  }
  try {
    const report = await verifyLanding({ s3: settings, bucket, readings, prefix: opts.prefix });
    process.stdout.write(`${formatVerifyReport(report).join('\n')}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await stop();
  }
}

/** PIPELINE_S3_ENDPOINT / PIPELINE_BUCKET from the environment, else ./.env; empty is unset. */
function targetFromEnv(): { endpoint?: string; bucket?: string } {
  const file = path.resolve('.env');
  const fromFile = existsSync(file) ? parse(readFileSync(file)) : {};
  const read = (key: string) => (process.env[key] ?? fromFile[key])?.trim() || undefined;
  const target: { endpoint?: string; bucket?: string } = {};
  const endpoint = read('PIPELINE_S3_ENDPOINT');
  const bucket = read('PIPELINE_BUCKET');
  if (bucket !== undefined) target.bucket = bucket;
  if (bucket !== undefined && endpoint !== undefined) target.endpoint = endpoint;
  return target;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    process.stderr.write(
      `verify failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
