/**
 * First Ctrl+C (or SIGTERM) asks for a clean stop; a second one exits at once.
 * Returns a signal that aborts on the first.
 */
const sameKeypressMs = 300;

export function stopOnSignals(onStop: () => void): AbortSignal {
  const controller = new AbortController();
  let firstAt = 0;
  const handler = (signal: NodeJS.Signals): void => {
    // One Ctrl+C can arrive twice: from the terminal to the whole process group, and relayed by
    // the npm/tsx wrappers. A second press is a human one, later than this.
    if (controller.signal.aborted && Date.now() - firstAt < sameKeypressMs) return;
    if (controller.signal.aborted) {
      process.stderr.write(`\n${signal} again: exiting without a clean stop\n`);
      process.exit(130);
    }
    process.stderr.write(`\n${signal}: stopping (press Ctrl+C again to exit at once)\n`);
    firstAt = Date.now();
    controller.abort();
    onStop();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return controller.signal;
}
