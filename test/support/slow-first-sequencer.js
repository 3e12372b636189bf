// Jest orders a run it has no timings for (a fresh clone, as CI has) by file size, largest first.
// A few small files run long by design: real CLI processes, SIGKILLed restarts, waited-out
// timeouts. Started last, one of them leaves the other worker idle at the end of the run
// (crash-safety: 7 s of an 84 s npm test). A test file whose docblock has `@slow` starts first
// when jest has no timing for it; with timings, jest's own order (longest first) stands.
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;
const { extract, parse } = require('jest-docblock');

const markedSlow = (path) => 'slow' in parse(extract(readFileSync(path, 'utf8')));

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const slow = sorted.filter((test) => test.duration == null && markedSlow(test.path));
    return [...slow, ...sorted.filter((test) => !slow.includes(test))];
  }
}

module.exports = SlowFirstSequencer;
