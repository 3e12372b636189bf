import { SingleBar } from 'cli-progress';
import type { ProgressSnapshot } from '../stats';

export type ProgressMode = 'tty' | 'plain' | 'quiet';

export interface ProgressReporter {
  update(snapshot: ProgressSnapshot): void;
  /** A one-off message (e.g. "stopping…") that must not garble the bar. */
  note(message: string): void;
  /** Final state; the bar is left on screen, plain mode prints a last line. */
  stop(snapshot: ProgressSnapshot): void;
}

export function progressMode(stream: { isTTY?: boolean }, quiet: boolean): ProgressMode {
  if (quiet) return 'quiet';
  return stream.isTTY ? 'tty' : 'plain';
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One line for logs: `producer 4.0s sent 40/200 acked 38 failed 0 aborted 0 retries 1 in-flight 2 9.5/s`. */
export function plainLine(s: ProgressSnapshot): string {
  const total = s.total !== undefined ? `/${s.total}` : '';
  const state = s.done ? ' done' : s.stopping ? ' stopping' : '';
  return (
    `producer ${seconds(s.elapsedMs)} sent ${s.sent}${total} acked ${s.acked} failed ${s.failed} ` +
    `aborted ${s.aborted} retries ${s.retries} in-flight ${s.inFlight} ${s.throughput.toFixed(1)}/s${state}`
  );
}

function payload(s: ProgressSnapshot) {
  return {
    sent: s.sent,
    acked: s.acked,
    failed: s.failed,
    retries: s.retries,
    rate: s.throughput.toFixed(1),
    elapsed: seconds(s.elapsedMs),
    state: s.stopping ? ' | stopping…' : '',
  };
}

function ttyReporter(stream: NodeJS.WritableStream): ProgressReporter {
  const counts =
    'sent {sent} | acked {acked} | failed {failed} | retries {retries} | {rate}/s | {elapsed}{state}';
  let bar: SingleBar | undefined;
  const settled = (s: ProgressSnapshot) => s.acked + s.failed + s.aborted;
  const ensure = (s: ProgressSnapshot) => {
    if (bar) return bar;
    const known = s.total !== undefined;
    bar = new SingleBar({
      stream,
      format: known ? `{bar} {percentage}% | ${counts}` : counts,
      barsize: 24,
      hideCursor: true,
      fps: 10,
    });
    bar.start(s.total ?? 1, settled(s), payload(s));
    return bar;
  };
  return {
    update: (s) => ensure(s).update(settled(s), payload(s)),
    note: (message) => stream.write(`\r\x1b[K${message}\n`),
    stop: (s) => {
      ensure(s).update(settled(s), payload(s));
      bar?.stop();
    },
  };
}

function plainReporter(
  stream: NodeJS.WritableStream,
  intervalMs: number,
  now: () => number,
): ProgressReporter {
  let last = now();
  return {
    update: (s) => {
      if (now() - last < intervalMs) return;
      last = now();
      stream.write(`${plainLine(s)}\n`);
    },
    note: (message) => stream.write(`${message}\n`),
    stop: (s) => stream.write(`${plainLine(s)}\n`),
  };
}

const quietReporter: ProgressReporter = { update() {}, note() {}, stop() {} };

/** Live bar on a terminal, a line every few seconds in logs (not a TTY), nothing with --quiet. */
export function createProgressReporter(opts: {
  stream: NodeJS.WritableStream;
  mode: ProgressMode;
  plainIntervalMs?: number;
  now?: () => number;
}): ProgressReporter {
  switch (opts.mode) {
    case 'tty':
      return ttyReporter(opts.stream);
    case 'plain':
      return plainReporter(opts.stream, opts.plainIntervalMs ?? 2000, opts.now ?? Date.now);
    case 'quiet':
      return quietReporter;
  }
}
