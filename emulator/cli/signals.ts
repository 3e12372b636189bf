/**
 * First Ctrl+C (or SIGTERM) asks for a clean stop; a second one exits at once.
 * Returns a signal that aborts on the first.
 */
export function stopOnSignals(onStop: () => void): AbortSignal {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(`\n${signal} again: exiting without a clean stop\n`);
      process.exit(130);
    }
    process.stderr.write(`\n${signal}: stopping (press Ctrl+C again to exit at once)\n`);
    controller.abort();
    onStop();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return controller.signal;
}
