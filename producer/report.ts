import { constants } from 'node:fs';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Reading } from '../model';
import { maskApiKey } from './mask';
import { ProducerOptionsError, type ResolvedProducerOptions } from './options';
import type { ReadingOutcome } from './response-outcome';
import type { ReadingRecord } from './stats';
import type { ProducerSummary } from './summary';

/**
 * The --report file: the summary plus every reading sent and what became of it, so a verifier can
 * later check that each acked reading is in the bucket (key from its id and epoch) and no other is.
 */
export interface ProducerReport {
  version: 1;
  createdAt: string;
  apiUrl: string;
  /** Masked: the report may be shared. */
  apiKey: string;
  options: {
    nEvents: number | null;
    nWorkers: number;
    minDelay: number;
    maxDelay: number;
    rate: number | null;
    duration: number | null;
    batchSize: number;
    seed: number | null;
    timeoutMs: number;
    maxRetries: number;
  };
  summary: ProducerSummary;
  readings: { reading: Reading; outcome: ReadingOutcome; reason?: string; attempts: number }[];
}

export function buildReport(
  opts: ResolvedProducerOptions,
  summary: ProducerSummary,
  records: readonly ReadingRecord[],
): ProducerReport {
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    apiUrl: summary.apiUrl,
    apiKey: maskApiKey(opts.apiKey),
    options: {
      nEvents: Number.isFinite(opts.nEvents) ? opts.nEvents : null,
      nWorkers: opts.nWorkers,
      minDelay: opts.minDelay,
      maxDelay: opts.maxDelay,
      rate: opts.rate ?? null,
      duration: opts.duration ?? null,
      batchSize: opts.batchSize,
      seed: opts.seed ?? null,
      timeoutMs: opts.timeoutMs,
      maxRetries: opts.maxRetries,
    },
    summary,
    readings: records.map(({ reading, outcome, reason, attempts }) => ({
      reading,
      // Every request is settled before the report is written; "pending" here would be a bug.
      outcome: outcome === 'pending' ? 'aborted' : outcome,
      ...(reason ? { reason } : {}),
      attempts,
    })),
  };
}

/** Writes through a temporary file and a rename, so a reader never sees half a report. */
/**
 * Fails before anything is sent when the report cannot be written: otherwise a run would end
 * without its report (and with an error instead of its summary).
 */
export async function ensureReportWritable(file: string): Promise<void> {
  const folder = dirname(resolve(file));
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProducerOptionsError(
      `--report: cannot write into ${folder} (${reason}); give a file in a writable folder`,
      '--report',
    );
  }
}

export async function writeReport(file: string, report: ProducerReport): Promise<string> {
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(report, null, 2)}\n`);
  await rename(tmp, path);
  return path;
}
