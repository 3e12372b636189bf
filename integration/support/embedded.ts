import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EmbeddedPipeline,
  type EmbeddedPipelineOptions,
  type StartedPipeline,
  silentLogger,
} from '../../emulator';

export interface EmbeddedRun {
  pipeline: StartedPipeline;
  dir: string;
  dispose(): Promise<void>;
}

/** An embedded pipeline over a fresh data directory, for the cases that need its fault hooks. */
export async function startEmbedded(
  options: Omit<EmbeddedPipelineOptions, 'dataDir'> = {},
): Promise<EmbeddedRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'push-pipeline-reliability-'));
  const pipeline = await new EmbeddedPipeline({
    logger: silentLogger,
    ...options,
    dataDir: path.join(dir, 'data'),
  }).start();
  return {
    pipeline,
    dir,
    dispose: async () => {
      await pipeline.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const fixture = (name: string): string => path.join(__dirname, '..', 'fixtures', name);
