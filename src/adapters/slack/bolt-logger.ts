/** Bolt and its clients log through the app's Logger, so one LOG_LEVEL governs everything. */
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../core/logger.ts";

export function boltLogger(logger: Logger): BoltLogger {
  let name = "slack";
  let level = LogLevel.INFO;
  const line = (parts: unknown[]) =>
    `${name}: ${parts.map((part) => (part instanceof Error ? part.message : String(part))).join(" ")}`;
  return {
    debug: (...parts: unknown[]) => logger.debug(line(parts)),
    info: (...parts: unknown[]) => logger.info(line(parts)),
    warn: (...parts: unknown[]) => logger.warn(line(parts)),
    error: (...parts: unknown[]) => logger.error(line(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
}
