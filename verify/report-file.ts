import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import type { Reading } from '../model';

/** A reading the producer sent and what it was told ('acked', 'duplicate', 'failed', 'aborted'). */
export interface SentReading {
  reading: Reading;
  outcome: string;
}

/** Only what verification needs from the producer's report (producer/report.ts). */
const reportSchema = z.looseObject({
  readings: z.array(
    z.looseObject({
      reading: z.looseObject({
        id: z.string(),
        sensor_id: z.string(),
        temperature: z.number(),
        epoch: z.number(),
      }),
      outcome: z.string(),
    }),
  ),
});

/** Reads a producer report file (`--report` / `reportFile`). */
export async function readProducerReport(file: string): Promise<SentReading[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read the producer report ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `${file} is not a producer report (no readings list); run the producer with --report <file>`,
    );
  }
  return parsed.data.readings.map(({ reading, outcome }) => ({
    reading: {
      id: reading.id.toLowerCase(),
      sensor_id: reading.sensor_id.toLowerCase(),
      temperature: reading.temperature,
      epoch: reading.epoch,
    },
    outcome,
  }));
}
