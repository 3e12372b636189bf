/**
 * .npmrc's node-options makes every Node process an npm script starts check the version first.
 * The check runs here with a stand-in `process` (this machine's Node may be 24 only), and npm is
 * asked what NODE_OPTIONS its scripts get.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';

const root = path.join(__dirname, '..', '..');
const nodeOptions = /^node-options=(.*)$/m.exec(
  readFileSync(path.join(root, '.npmrc'), 'utf8'),
)?.[1];
const dataUrl = /--import=(data:text\/javascript,\S+)/.exec(nodeOptions ?? '')?.[1];

function runCheck(version: string): { lines: string[]; exitCode: number | undefined } {
  const lines: string[] = [];
  let exitCode: number | undefined;
  const code = decodeURIComponent((dataUrl ?? '').slice('data:text/javascript,'.length));
  runInNewContext(code, {
    process: { versions: { node: version }, exit: (c: number) => (exitCode = c) },
    console: { error: (line: string) => lines.push(line) },
  });
  return { lines, exitCode };
}

it('on Node older than 24: one line naming the version and scripts/with-node24.sh, exit 1', () => {
  expect(runCheck('20.20.2')).toEqual({
    lines: [
      'push-pipeline needs Node 24 or newer (this is Node 20.20.2). Get it with: eval "$(bash scripts/with-node24.sh --env)" (Node 24 from the npm registry, cached), then run the command again.',
    ],
    exitCode: 1,
  });
});

it.each(['24.0.0', '24.21.0', '26.1.0'])('on Node %s: silent', (version) => {
  expect(runCheck(version)).toEqual({ lines: [], exitCode: undefined });
});

it("npm passes the check to its scripts' Node processes, keeping the caller's NODE_OPTIONS", () => {
  const env = execFileSync('npm', ['run', '--silent', 'env'], {
    cwd: root,
    encoding: 'utf8',
    // Not the npm settings of the `npm test` that runs this (npm_config_node_options among them).
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))),
      NODE_OPTIONS: '--max-old-space-size=2048',
    },
  });
  const line = env.split('\n').find((l) => l.startsWith('NODE_OPTIONS='));
  expect(line).toBe(`NODE_OPTIONS=--max-old-space-size=2048 --import=${dataUrl}`);
});
