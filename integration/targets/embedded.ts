import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddedPipeline, type EmbeddedPipelineOptions, silentLogger } from '../../emulator';
import type { StartedTarget } from './target';

/** The in-process emulator over a fresh data directory, removed on stop. */
export async function startEmbeddedTarget(
  options: Omit<EmbeddedPipelineOptions, 'dataDir'> = {},
): Promise<StartedTarget & { dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'push-pipeline-it-'));
  try {
    const pipeline = await new EmbeddedPipeline({
      logger: silentLogger,
      ...options,
      dataDir,
    }).start();
    return {
      name: 'embedded',
      apiUrl: pipeline.apiUrl,
      apiKey: pipeline.apiKey,
      bucket: pipeline.bucket,
      s3: pipeline.s3,
      functionName: pipeline.functionName,
      lambda: pipeline.lambda,
      dataDir,
      stop: async () => {
        await pipeline.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
