// Four projects: `unit` needs only Node (npm test); `integration` targets a running pipeline
// chosen by PIPELINE_TARGET (npm run test:integration); `containers` needs Docker; `browser`
// needs Chromium (npm run test:browser). @swc/jest only strips types: the
// type-check is `tsc --noEmit` (incremental, its state under node_modules/.cache), run first by
// `npm test`. `npm test` runs the unit project with one worker per core (--maxWorkers=100%):
// jest's default keeps a core free, which on a 2-core machine means one suite at a time, while
// most unit suites spend their time waiting on child processes, sockets and timers.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2024' } }] };
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  // A worker that ran half the unit suites holds about 1.2 GB, and the kernel frees a process's
  // memory slowly here (a plain Node process of 1.7 GB: 0.45 s from its 'exit' event to gone).
  // Both workers reach 'exit' within 6 ms of jest's end message, with no handle left open, and
  // are still going away at 500 ms, when jest's default SIGTERMs them (gone 40-120 ms later) and
  // warns "A worker process has failed to exit gracefully". 2 s keeps that warning for real leaks.
  workerGracefulExitTimeout: 2000,
  // Files marked `@slow` start first in a run without timings (a fresh clone, CI): see the file.
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/test'], testMatch: ['**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/integration'],
      testMatch: ['**/*.test.ts'],
      // Deploying to LocalStack or AWS takes minutes; each case then gets its own budget.
      setupFilesAfterEnv: ['<rootDir>/integration/setup-timeouts.ts'],
    },
    // Needs a Docker engine (npm run test:containers); fails, never skips, without one.
    {
      ...common,
      displayName: 'containers',
      roots: ['<rootDir>/test-containers'],
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/test-containers/global-setup.ts',
      // Each case starts a container: seconds when idle, well over jest's 5 s on a busy machine.
      testTimeout: 60_000,
    },
    // The console in a real Chromium (npm run test:browser); fails, never skips, without one.
    {
      ...common,
      displayName: 'browser',
      roots: ['<rootDir>/test-browser'],
      testMatch: ['**/*.test.ts'],
    },
  ],
};
