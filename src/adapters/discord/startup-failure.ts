/**
 * How the sharded processes (manager and shards) report a failed start, as `npm start` does: one
 * line naming what to fix on stderr, the stack only with LOG_LEVEL=debug, then exit code 1.
 */
import { ConfigError } from "../../config.ts";

export function startupFailureText(error: unknown, prefix: string, debug: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  // A ConfigError is already the list of settings to fix, with its own heading.
  const line = error instanceof ConfigError ? message : `${prefix}: ${message}`;
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : "";
  return `${line}${stack}\n`;
}

/** Closes what was opened (never letting that hide the reason), reports, exits 1. */
export async function exitOnStartupFailure(
  error: unknown,
  prefix: string,
  close: () => Promise<unknown> = async () => {},
): Promise<never> {
  await close().catch(() => {});
  process.stderr.write(startupFailureText(error, prefix, process.env.LOG_LEVEL === "debug"));
  process.exit(1);
}
