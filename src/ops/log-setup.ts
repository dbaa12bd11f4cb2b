/** Picks the logger for a process: the dependency-free text logger, or pino's JSON lines. */
import { createLogger, type LogFormat, type Logger, type LogLevel } from "../core/logger.ts";
import { createPinoLogger } from "./pino-logger.ts";

export function createAppLogger(level: LogLevel, format: LogFormat): Logger {
  return format === "json" ? createPinoLogger(level) : createLogger(level);
}
