/**
 * B4: AWS cost per million readings for batch sizes 1, 10 and 100, from infra/pricing.ts (list
 * prices with their source and date) and the function's memory from deployment/definition.ts. The
 * billed duration is a stated assumption (an AWS S3 PUT cannot be measured here); the emulator's
 * measured handler duration from B2, when B2 ran in the same invocation, is shown beside it.
 */

import { pipelineDefinition } from '../deployment/definition';
import { WRITE_CONCURRENCY } from '../handler/ingest';
import { costPerMillionReadings, pricing } from '../infra/pricing';
import type { BenchContext, BenchResult, Metric } from './result';
import { round } from './stats';

/**
 * Assumed S3 PutObject latency from Lambda in the same region. AWS: for small requests "median
 * latencies are often in the tens of milliseconds" (Best Practices Design Patterns: Optimizing
 * Amazon S3 Performance, "Timeouts and Retries for Latency-Sensitive Applications",
 * docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/, read 2026-11-25).
 */
const ASSUMED_S3_PUT_MS = 30;
/** Assumed per-invocation work besides S3 (parse, validate, transform, log) on 512 MB arm64. */
const ASSUMED_OVERHEAD_MS = 5;

/** The handler writes a batch WRITE_CONCURRENCY readings at a time: rounds of PUT latency. */
export function assumedDurationMs(batchSize: number, putMs = ASSUMED_S3_PUT_MS): number {
  return ASSUMED_OVERHEAD_MS + Math.ceil(batchSize / WRITE_CONCURRENCY) * putMs;
}

const usd = (x: number) => `$${x < 0.01 ? x.toFixed(4) : x.toFixed(2)}`;

export async function b4Cost(ctx: BenchContext): Promise<BenchResult> {
  const t0 = performance.now();
  const memoryMB = pipelineDefinition.function.memoryMB;
  const measured = ctx.earlier.get('b2')?.details.handlerDurations as
    | Record<string, { p50: number; n: number }>
    | undefined;
  const metrics: Metric[] = [];
  const rows: Record<string, unknown> = {};
  for (const batchSize of [1, 10, 100]) {
    const durationMs = assumedDurationMs(batchSize);
    const cost = costPerMillionReadings({ batchSize, memoryMB, durationMs });
    const slow = costPerMillionReadings({
      batchSize,
      memoryMB,
      durationMs: assumedDurationMs(batchSize, ASSUMED_S3_PUT_MS * 3),
    });
    const emu = measured?.[String(batchSize)];
    rows[batchSize] = {
      durationMs,
      cost,
      totalIfPutsTake3x: slow.total,
      emulatorHandlerP50Ms: emu?.p50,
    };
    metrics.push({
      name: `cost per 1M readings, batch ${batchSize}`,
      value: usd(cost.total),
      note: [
        `${cost.requests.toLocaleString('en-US')} requests: API Gateway ${usd(cost.apiGateway)}, Lambda requests ${usd(cost.lambdaRequests)}, Lambda duration ${usd(cost.lambdaDuration)} (${durationMs} ms assumed at ${memoryMB} MB), S3 PUT ${usd(cost.s3Put)} (${round((cost.s3Put / cost.total) * 100)}% of the total)`,
        `with S3 PUTs 3x slower (${assumedDurationMs(batchSize, ASSUMED_S3_PUT_MS * 3)} ms): ${usd(slow.total)}`,
        ...(emu ? [`emulator handler p50 on the bench machine: ${round(emu.p50, 1)} ms`] : []),
      ].join('; '),
    });
  }
  const retried = costPerMillionReadings({
    batchSize: 1,
    memoryMB,
    durationMs: 1,
    existingKeyRatio: 0.01,
  });
  return {
    id: 'b4',
    title: 'Cost per million readings on AWS',
    metrics,
    notes: [
      `Prices: ${pricing.source}, ${pricing.region}, as of ${pricing.asOf} (infra/pricing.ts): API Gateway REST $${pricing.apiGatewayRestPerMillionRequests}/M requests, Lambda $${pricing.lambdaPerMillionRequests}/M requests + $${pricing.lambdaArmPerGbSecond}/GB-s (arm64), S3 PUT $${pricing.s3PutPer1000}/1000, GET $${pricing.s3GetPer1000}/1000. Free tiers, storage, data transfer and CloudWatch Logs are excluded.`,
      `Billed duration assumed: ${ASSUMED_OVERHEAD_MS} ms + ${ASSUMED_S3_PUT_MS} ms per round of ${WRITE_CONCURRENCY} parallel PUTs (handler WRITE_CONCURRENCY); ${ASSUMED_S3_PUT_MS} ms is the "tens of milliseconds" median AWS documents for small S3 requests. Memory ${memoryMB} MB from deployment/definition.ts.`,
      `One S3 PUT per reading is a floor of ${usd(costPerMillionReadings({ batchSize: 500, memoryMB, durationMs: 1 }).s3Put)}/M whatever the batch size: batching removes API Gateway and Lambda request costs only.`,
      `S3 GET is paid only for readings whose key already exists (a retried request's duplicates): ${usd(retried.s3Get)} per million readings for every 1% of readings retried.`,
    ],
    details: {
      memoryMB,
      assumedS3PutMs: ASSUMED_S3_PUT_MS,
      assumedOverheadMs: ASSUMED_OVERHEAD_MS,
      rows,
    },
    elapsedMs: performance.now() - t0,
  };
}
