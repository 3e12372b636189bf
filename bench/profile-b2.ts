/**
 * `npm run bench -- profile`: where B2's CPU goes. Runs the emulator process under --cpu-prof (one
 * profile per thread: the main thread serves the gateway and the S3 endpoint, each function
 * worker runs the handler) while the producer drives it at batch 1 and batch 100, then prints CPU
 * milliseconds per reading by stage and the top self-time modules and functions. Profiles stay in
 * bench/results/profiles/ (open them in Chrome DevTools or VS Code).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { produceB2Load, WIDE_THROTTLE } from './b2-load';
import { startEmulatorProcess } from './emulator-process';
import { resultsDir } from './paths';
import { formatProfile, type ProfileSummary, summariseProfiles } from './profile-summary';
import { round } from './stats';
import { cpuDelta, type ThreadCpu } from './thread-cpu';

export interface StageProfile {
  batchSize: number;
  readings: number;
  readingsPerSec: number;
  /** CPU ms per reading during the measured run: the producer (bench process) and emulator threads. */
  cpuMsPerReading: ThreadCpu;
  main: ProfileSummary;
  workers: ProfileSummary;
}

async function profileBatch(
  batchSize: number,
  seconds: number,
  log: (m: string) => void,
): Promise<StageProfile> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-bench-profile-'));
  const profDir = path.join(resultsDir, 'profiles', `b2-batch${batchSize}-${Date.now()}`);
  await mkdir(profDir, { recursive: true });
  try {
    const emulator = await startEmulatorProcess(
      { dataDir, throttle: WIDE_THROTTLE },
      { execArgv: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] },
    );
    const drive = (duration: number) => produceB2Load(emulator, batchSize, duration);
    await drive(2);
    const emu0 = await emulator.cpu();
    const cpu0 = process.cpuUsage();
    const run = await drive(seconds);
    const cpu = process.cpuUsage(cpu0);
    const emu = cpuDelta(await emulator.cpu(), emu0);
    await emulator.stop(); // the profiles are written as the threads exit
    const files = (await readdir(profDir)).filter((f) => f.endsWith('.cpuprofile'));
    // CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile; thread 0 is the main thread.
    const isMain = (f: string) => f.split('.')[4] === '0';
    const main = await summariseProfiles(files.filter(isMain).map((f) => path.join(profDir, f)));
    const workers = await summariseProfiles(
      files.filter((f) => !isMain(f)).map((f) => path.join(profDir, f)),
    );
    const cpuMsPerReading: ThreadCpu = {
      'producer (bench process)': round((cpu.user + cpu.system) / 1000 / run.acked, 3),
    };
    for (const [k, v] of Object.entries(emu)) {
      cpuMsPerReading[`emulator ${k}`] = round(v / run.acked, 3);
    }
    const result: StageProfile = {
      batchSize,
      readings: run.acked,
      readingsPerSec: run.throughput,
      cpuMsPerReading,
      main,
      workers,
    };
    const breakdown = Object.entries(cpuMsPerReading)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    log(
      `batch ${batchSize}: ${round(run.throughput)} readings/s; CPU ms per reading: ${breakdown}`,
    );
    log(
      '  (profile shares below are of sampled wall time while a thread was not idle: on a busy machine that includes time waiting for a core)',
    );
    log(formatProfile(`  emulator main thread, batch ${batchSize}`, main));
    log(formatProfile(`  function workers, batch ${batchSize}`, workers));
    return result;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function profileB2(quick: boolean, log: (m: string) => void): Promise<string> {
  const seconds = quick ? 4 : 8;
  const results = [];
  for (const batchSize of [1, 100]) results.push(await profileBatch(batchSize, seconds, log));
  const file = path.join(resultsDir, 'profile-latest.json');
  await writeFile(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
  );
  return file;
}
