/**
 * B7: `npm test` on this machine, as CI and a contributor run it (type-check, then the unit
 * project), from a cold jest cache so the suites run in the order a fresh clone gets. Issue 15's
 * reference is about 44 s for the suite as it was then (about 560 tests); the count is reported
 * beside the time because the suite has grown since.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../deployment/repo-root';
import type { BenchContext, BenchResult } from './result';
import { below } from './result';
import { round } from './stats';

const TARGET_SECONDS = 44;

interface TestRun {
  seconds: number;
  typecheckSeconds: number;
  passed: number;
  failed: number;
  suites: number;
}

/** Runs `npm test` with a fresh jest cache; times the type-check from its own step. */
async function timeNpmTest(): Promise<TestRun> {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'bench-jest-cache-'));
  try {
    const t0 = performance.now();
    let typecheckDone: number | undefined;
    let output = '';
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('npm', ['test', '--', `--cacheDirectory=${cacheDir}`], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const collect = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
        // jest prints "Running one project" once tsc has passed.
        if (typecheckDone === undefined && /Running one project/.test(output)) {
          typecheckDone = performance.now();
        }
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.on('error', reject);
      child.on('close', resolve);
    });
    const seconds = (performance.now() - t0) / 1000;
    const tests = /Tests:\s+(?:(\d+) failed, )?(?:\d+ skipped, )?(\d+) passed/.exec(output);
    const suites = /Test Suites:.*?(\d+) total/.exec(output);
    if (tests === null || suites === null) {
      throw new Error(`npm test exited ${code} without jest's summary:\n${output.slice(-2000)}`);
    }
    return {
      seconds,
      typecheckSeconds: ((typecheckDone ?? t0) - t0) / 1000,
      failed: Number(tests[1] ?? 0),
      passed: Number(tests[2]),
      suites: Number(suites[1]),
    };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

export async function b7NpmTest(ctx: BenchContext): Promise<BenchResult> {
  const t0 = performance.now();
  if (ctx.quick) {
    return {
      id: 'b7',
      title: '`npm test` on this machine',
      metrics: [{ name: 'npm test wall time', value: null, note: 'not run in quick mode' }],
      notes: [],
      details: {},
      elapsedMs: performance.now() - t0,
    };
  }
  ctx.log('  b7 npm test (type-check + unit project, fresh jest cache)');
  const run = await timeNpmTest();
  return {
    id: 'b7',
    title: '`npm test` on this machine',
    metrics: [
      {
        name: `npm test wall time (${run.passed + run.failed} tests)`,
        value: round(run.seconds),
        unit: 's',
        target: `< ${TARGET_SECONDS} s`,
        ok: below(run.seconds, TARGET_SECONDS) && run.failed === 0,
      },
      { name: 'of which the type-check', value: round(run.typecheckSeconds), unit: 's' },
    ],
    notes: [
      `One run of \`npm test\` with a fresh jest cache (as a clean clone has), ${run.suites} suites, ${run.passed} passed, ${run.failed} failed; the type-check's share is the time until jest starts. The 44 s reference is issue 15's figure for the suite of the time (559 tests at 7f261e8), measured on another machine; on the 2-core AMD EPYC of RESULTS.md's third pass that suite took 71-82 s.`,
    ],
    details: { ...run },
    elapsedMs: performance.now() - t0,
  };
}
