/**
 * Tells the log, once per process and per reason, why questions are answered by their words only
 * (word vectors missing or damaged) or why they load slowly: every index made after that says the
 * same, and a corpus reload makes a new index.
 */
import { createLogger, type Logger } from "../../logger.ts";

const told = new Set<string>();

export function tellOnce(message: string, logger: Logger = createLogger("warn")): void {
  if (told.has(message)) return;
  told.add(message);
  logger.warn(message);
}
