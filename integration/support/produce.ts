import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PipelineTarget } from '../../deployment/target';
import { type ProducerOptions, type ProducerSummary, runProducer } from '../../producer';
import {
  readProducerReport,
  type SentReading,
  type VerifyReport,
  verifyLanding,
} from '../../verify';

export interface ProducedRun {
  summary: ProducerSummary;
  /** What the producer reported sending, and what it was told. */
  readings: SentReading[];
  /** What landed in the target's bucket, checked against those readings. */
  verdict: VerifyReport;
}

/**
 * Runs the producer (its programmatic API) against a target with a report, then checks what
 * landed with the verify module: the path `npm start` and a user's `npm run verify` take.
 */
export async function produceAndVerify(
  target: PipelineTarget,
  options: Omit<ProducerOptions, 'apiUrl' | 'apiKey' | 'reportFile'>,
): Promise<ProducedRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'push-pipeline-produce-'));
  try {
    const reportFile = path.join(dir, 'report.json');
    const summary = await runProducer({
      minDelay: 0,
      maxDelay: 0,
      ...options,
      apiUrl: target.apiUrl,
      apiKey: target.apiKey,
      reportFile,
    });
    const readings = await readProducerReport(reportFile);
    const verdict = await verifyLanding({ s3: target.s3, bucket: target.bucket, readings });
    return { summary, readings, verdict };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
