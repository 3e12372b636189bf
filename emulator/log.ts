/** The emulator's own one-line messages (ready, cold start, reload, function errors). */
export interface EmulatorLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const levels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof levels)[number];

function isLogLevel(value: string | undefined): value is LogLevel {
  return levels.some((level) => level === value);
}

/** Plain lines on stderr, so stdout stays clean for summaries; level from PIPELINE_LOG_LEVEL. */
export function consoleLogger(
  level: LogLevel = isLogLevel(process.env.PIPELINE_LOG_LEVEL)
    ? process.env.PIPELINE_LOG_LEVEL
    : 'info',
): EmulatorLogger {
  const threshold = levels.indexOf(level);
  const at =
    (wanted: LogLevel) =>
    (message: string): void => {
      if (levels.indexOf(wanted) >= threshold) process.stderr.write(`[emulator] ${message}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: EmulatorLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
