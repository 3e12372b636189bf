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

/**
 * Sets a fault through the emulator's control endpoint (POST /_emulator/faults), as a user or the
 * browser console does; returns its id. The spec grammar is in the README ("Fault injection").
 */
export async function addFault(pipeline: StartedPipeline, spec: string): Promise<string> {
  const response = await fetch(new URL('/_emulator/faults', pipeline.apiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ spec }),
  });
  const body = (await response.json()) as { id?: string; message?: string };
  if (response.status !== 201 || body.id === undefined) {
    throw new Error(`POST /_emulator/faults ${spec}: ${response.status} ${body.message}`);
  }
  return body.id;
}
