import { PassThrough } from 'node:stream';
import { createProgressReporter, plainLine, progressMode } from '../../producer/cli/progress';
import { maskApiKey, redactApiKey } from '../../producer/mask';
import type { ProgressSnapshot } from '../../producer/stats';

const snap = (elapsedMs: number, over: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  sent: 10,
  acked: 8,
  duplicates: 0,
  failed: 1,
  aborted: 0,
  requests: 11,
  retries: 1,
  inFlight: 1,
  elapsedMs,
  total: 200,
  throughput: 4,
  stopping: false,
  done: false,
  ...over,
});

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => {
    text += c.toString();
  });
  return { stream, text: () => text };
}

describe('progress output', () => {
  test('mode: a terminal gets the bar, logs get plain lines, --quiet gets nothing', () => {
    expect(progressMode({ isTTY: true }, false)).toBe('tty');
    expect(progressMode({ isTTY: false }, false)).toBe('plain');
    expect(progressMode({}, false)).toBe('plain');
    expect(progressMode({ isTTY: true }, true)).toBe('quiet');
  });

  test('not a TTY: one plain line per interval and a final one, no escape codes', () => {
    let now = 0;
    const out = capture();
    const p = createProgressReporter({
      stream: out.stream,
      mode: 'plain',
      plainIntervalMs: 2000,
      now: () => now,
    });
    for (now = 0; now <= 5000; now += 250) p.update(snap(now));
    p.stop(snap(5100, { done: true, inFlight: 0 }));
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toEqual([
      'producer 2.0s sent 10/200 acked 8 failed 1 aborted 0 retries 1 in-flight 1 4.0/s',
      'producer 4.0s sent 10/200 acked 8 failed 1 aborted 0 retries 1 in-flight 1 4.0/s',
      'producer 5.1s sent 10/200 acked 8 failed 1 aborted 0 retries 1 in-flight 0 4.0/s done',
    ]);
    expect(out.text()).not.toContain('\u001b'); // no escape codes
    expect(out.text()).not.toContain('\r');
  });

  test('plain line without a known total, while stopping', () => {
    expect(plainLine(snap(1000, { total: undefined, stopping: true }))).toBe(
      'producer 1.0s sent 10 acked 8 failed 1 aborted 0 retries 1 in-flight 1 4.0/s stopping',
    );
  });

  test('--quiet writes nothing', () => {
    const out = capture();
    const p = createProgressReporter({ stream: out.stream, mode: 'quiet' });
    p.note('hello');
    p.update(snap(3000));
    p.stop(snap(3000, { done: true }));
    expect(out.text()).toBe('');
  });

  test('TTY: a bar with the counts', () => {
    const out = capture();
    // cli-progress draws only on a TTY; a PassThrough flagged as one receives the drawing.
    Object.assign(out.stream, { isTTY: true, columns: 200 });
    const p = createProgressReporter({ stream: out.stream, mode: 'tty' });
    p.update(snap(1000));
    p.stop(snap(2000, { acked: 199, failed: 1, sent: 200, done: true }));
    expect(out.text()).toMatch(
      /100% \| sent 200 \| acked 199 \| failed 1 \| retries 1 \| 4\.0\/s \| 2\.0s/,
    );
  });
});

describe('maskApiKey', () => {
  test('shows the ends of a long key, nothing of a short one', () => {
    expect(maskApiKey('abcd0123456789wxyz')).toBe('abcd…wxyz');
    expect(maskApiKey('short-key')).toBe('****');
    expect(maskApiKey('')).toBe('****');
  });
});

describe('redactApiKey', () => {
  test('masks a key echoed in a message, and leaves words alone for a short key', () => {
    const key = 'abcd0123456789wxyz';
    expect(redactApiKey(`bad key ${key} (${key})`, key)).toBe('bad key abcd…wxyz (abcd…wxyz)');
    expect(redactApiKey('network error', 'k')).toBe('network error');
  });
});
