/**
 * LOG_FORMAT=json: the project's Logger written by pino, one JSON object per line on stderr
 * (stdout belongs to the CLI's JSON and the console's replies):
 *   {"level":"warn","time":"2025-01-01T09:00:00.000Z","pid":1,"hostname":"h","channel":"slack:C1","msg":"..."}
 * An object detail becomes top-level fields, an Error becomes `err` (type, message, stack), anything
 * else `detail`. Everything passes through redact() first, so secrets never reach the output.
 */
import { type DestinationStream, pino } from "pino";
import type { Logger, LogLevel } from "../core/logger.ts";
import { redact, redactText } from "./redact.ts";

/** Fields pino writes itself; a detail that uses one of these names is nested under `detail`. */
const RESERVED = new Set(["level", "time", "msg", "pid", "hostname", "err", "detail"]);

/** stderr, written synchronously so lines are not lost when the process exits right after. */
export function stderrDestination(): DestinationStream {
  return pino.destination({ dest: 2, sync: true });
}

export function createPinoLogger(
  level: LogLevel = "info",
  destination: DestinationStream = stderrDestination(),
): Logger {
  const base = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // redact() has already turned errors into plain objects; pino's own serializers stay out of it.
      serializers: { err: (value: unknown) => value },
    },
    destination,
  );
  const log = (at: Exclude<LogLevel, "silent">) => (message: string, detail?: unknown) => {
    if (!base.isLevelEnabled(at)) return;
    base[at](detailFields(detail), redactText(message));
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/** The fields one detail adds to a line. */
export function detailFields(detail: unknown): Record<string, unknown> {
  if (detail === undefined) return {};
  const safe = redact(detail);
  if (detail instanceof Error) return { err: safe };
  if (isRecord(safe) && !Object.keys(safe).some((key) => RESERVED.has(key))) return safe;
  return { detail: safe };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
