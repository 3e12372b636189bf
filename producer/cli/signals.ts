/**
 * Ctrl+C (SIGINT) or SIGTERM for a command that stops cleanly: the first asks for a clean stop,
 * a second exits at once, with 130 after SIGINT or 143 after SIGTERM (128 + the signal number).
 * Shared by the producer's CLI and the emulator's (`npm start`, `npm run dev`), which runs the
 * producer and so may depend on it; the producer depends on nothing but model/.
 */
export interface SignalStop {
  /** Aborts on the first signal. */
  readonly signal: AbortSignal;
  /** 130 or 143, after the first signal; undefined before. */
  readonly exitCode: number | undefined;
  /** Stops listening, once the command no longer needs a clean stop. */
  dispose(): void;
}

/** One Ctrl+C can arrive twice (the terminal signals the whole process group, and the npm/tsx
 * wrappers relay it): a second press is a human one, later than this. */
const SAME_KEYPRESS_MS = 300;

export function stopOnSignals(options: {
  /** Prefix of the line printed when a second signal exits at once. */
  name: string;
  /** Called once, on the first signal: say what happens next, start stopping. */
  onStop: (signal: NodeJS.Signals) => void;
}): SignalStop {
  const controller = new AbortController();
  let firstAt = 0;
  let exitCode: number | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted && Date.now() - firstAt < SAME_KEYPRESS_MS) return;
    if (controller.signal.aborted) {
      process.stderr.write(`\n${options.name}: ${signal} again, exiting without a clean stop\n`);
      process.exit(exitCode);
    }
    firstAt = Date.now();
    exitCode = signal === 'SIGTERM' ? 143 : 130;
    controller.abort();
    options.onStop(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    get exitCode() {
      return exitCode;
    },
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
