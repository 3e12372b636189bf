import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

// The sequencer jest.config.js names; plain CommonJS because jest loads it before any transform.
const SlowFirstSequencer = require('./slow-first-sequencer.js') as new (
  options: object,
) => {
  sort(tests: FakeTest[]): FakeTest[];
  cacheResults(tests: FakeTest[], results: object): void;
};

interface FakeTest {
  path: string;
  duration?: number;
  context: object;
}

let dir: string;
let cacheDirectory: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'push-pipeline-sequencer-'));
  cacheDirectory = path.join(dir, 'cache');
  await mkdir(cacheDirectory);
  // Jest's fallback order is by size: big first, then the two small ones.
  await writeFile(
    path.join(dir, 'big.test.ts'),
    `test('x', () => {});\n${'// padding\n'.repeat(500)}`,
  );
  await writeFile(path.join(dir, 'small.test.ts'), "test('x', () => {});\n");
  await writeFile(
    path.join(dir, 'slow.test.ts'),
    "/** @slow waits on a child process */\ntest('x', () => {});\n",
  );
});

afterAll(() => rm(dir, { recursive: true, force: true }));

function testsOf(names: string[]): FakeTest[] {
  const context = {
    config: { cache: true, cacheDirectory, id: 'sequencer-test', haste: {} },
    hasteFS: { getSize: (file: string) => statSync(file).size },
  };
  return names.map((name) => ({ path: path.join(dir, name), context }));
}

const names = (tests: FakeTest[]) => tests.map((test) => path.basename(test.path));

test('without timings (a fresh clone), a file marked @slow starts first, the rest by size', () => {
  const sorted = new SlowFirstSequencer({}).sort(
    testsOf(['small.test.ts', 'big.test.ts', 'slow.test.ts']),
  );
  expect(names(sorted)).toEqual(['slow.test.ts', 'big.test.ts', 'small.test.ts']);
});

test("with timings from an earlier run, jest's order stands: longest first", () => {
  const tests = testsOf(['small.test.ts', 'big.test.ts', 'slow.test.ts']);
  const runtimes: Record<string, number> = {
    'small.test.ts': 9000,
    'big.test.ts': 5000,
    'slow.test.ts': 100,
  };
  new SlowFirstSequencer({}).cacheResults(tests, {
    testResults: tests.map((test) => ({
      testFilePath: test.path,
      numFailingTests: 0,
      perfStats: { start: 0, end: 0, runtime: runtimes[path.basename(test.path)] },
    })),
  });
  const sorted = new SlowFirstSequencer({}).sort(
    testsOf(['slow.test.ts', 'big.test.ts', 'small.test.ts']),
  );
  expect(names(sorted)).toEqual(['small.test.ts', 'big.test.ts', 'slow.test.ts']);
});
