import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../emulator';
import { createReadingGenerator, objectKeyFor } from '../model';
import { storedRecordBody } from './payload';
import { latencyPercentiles } from './stats';

export interface S3LoadResult {
  puts: number;
  failures: number;
  durationMs: number;
  putsPerSec: number;
  p50: number;
  p99: number;
}

/**
 * The S3 endpoint alone: `concurrency` loops of PutObject with If-None-Match '*', each object the
 * handler's stored record at the handler's key, for `seconds`. The client is the SDK's default one,
 * as the handler's (keep-alive on).
 */
export function createS3PutLoad(settings: S3Settings, bucket: string) {
  const client = new S3Client(settings);
  const next = createReadingGenerator();
  return {
    async run(concurrency: number, seconds: number): Promise<S3LoadResult> {
      const latencies: number[] = [];
      let failures = 0;
      const t0 = performance.now();
      const until = t0 + seconds * 1000;
      const worker = async () => {
        while (performance.now() < until) {
          const reading = next();
          const started = performance.now();
          try {
            await client.send(
              new PutObjectCommand({
                Bucket: bucket,
                Key: objectKeyFor(reading),
                Body: storedRecordBody(reading),
                ContentType: 'application/json',
                IfNoneMatch: '*',
              }),
            );
            latencies.push(performance.now() - started);
          } catch {
            failures += 1;
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const durationMs = performance.now() - t0;
      return {
        puts: latencies.length,
        failures,
        durationMs,
        putsPerSec: latencies.length / (durationMs / 1000),
        ...latencyPercentiles(latencies),
      };
    },
    close: () => client.destroy(),
  };
}
