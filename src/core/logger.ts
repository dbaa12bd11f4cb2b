/**
 * A tiny levelled logger on stderr, so stdout stays clean for CLI JSON and console replies.
 * This is the default "text" format; `LOG_FORMAT=json` swaps in the pino-backed logger from
 * src/ops/ behind the same interface, so nothing here depends on a logging library.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** How log lines look: "text" (this file, for people) or "json" (one object per line, for collectors). */
export type LogFormat = "text" | "json";
export const LOG_FORMATS: readonly LogFormat[] = ["text", "json"];

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export function createLogger(
  level: LogLevel = "info",
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  const log = (at: Exclude<LogLevel, "silent">) => (message: string, detail?: unknown) => {
    if (ORDER[at] < ORDER[level]) return;
    const suffix =
      detail === undefined
        ? ""
        : ` ${detail instanceof Error ? (detail.stack ?? detail.message) : JSON.stringify(detail)}`;
    write(`${new Date().toISOString()} ${at.toUpperCase()} ${message}${suffix}`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export const SILENT_LOGGER: Logger = createLogger("silent");
