/**
 * The command registry: every adapter, the CLI and the registration script read this list.
 * `runCommand` is the one place where errors become replies.
 */
import type { Command, CommandContext } from "../src/core/command.ts";
import {
  ERROR_MESSAGES,
  STATE_UNAVAILABLE_MESSAGE,
  StateUnavailableError,
  UserError,
} from "../src/core/errors.ts";
import type { Logger } from "../src/core/logger.ts";
import { type BotMetrics, type CommandOutcome, NO_METRICS } from "../src/core/metrics.ts";
import type { Invocation, MessageReply, Reply } from "../src/core/reply.ts";
import { addCommand } from "./add.ts";
import { askCommand } from "./ask.ts";
import { dailyCommand } from "./daily.ts";
import { followCommand } from "./follow.ts";
import { paperCommand } from "./paper.ts";
import { randomCommand } from "./random.ts";
import { relatedCommand } from "./related.ts";
import { searchCommand } from "./search.ts";

export const COMMANDS: readonly Command[] = Object.freeze([
  paperCommand,
  searchCommand,
  randomCommand,
  askCommand,
  relatedCommand,
  dailyCommand,
  addCommand,
  followCommand,
]);

export function findCommand(name: string): Command | undefined {
  const wanted = name.trim().toLowerCase().replace(/^\//, "");
  return COMMANDS.find((command) => command.name === wanted);
}

export function errorReply(error: unknown, logger: Logger): MessageReply {
  if (error instanceof UserError) {
    return {
      kind: "message",
      tone: "error",
      text: error.message,
      hint: error.hint,
      code: error.code,
      ephemeral: true,
    };
  }
  if (error instanceof StateUnavailableError) {
    logger.warn("command needs the database, which is not answering", { error: error.message });
    return {
      kind: "message",
      tone: "error",
      text: STATE_UNAVAILABLE_MESSAGE,
      code: "internal",
      ephemeral: true,
    };
  }
  logger.error("command failed", error);
  return { kind: "message", tone: "error", text: ERROR_MESSAGES.internal, code: "internal", ephemeral: true };
}

/**
 * Runs the invoked command. Never throws: expected failures and crashes both become a private
 * reply. Every run is counted (by known command name only, never the text typed).
 */
export async function runCommand(
  context: CommandContext,
  logger: Logger,
  metrics: BotMetrics = NO_METRICS,
): Promise<Reply> {
  const command = findCommand(context.invocation.command);
  const started = performance.now();
  let outcome: CommandOutcome = "ok";
  try {
    if (context.invocation.command === "help")
      return { kind: "message", tone: "info", text: helpText(), ephemeral: true };
    if (!command) {
      throw new UserError(
        "unknown_command",
        `I don't know "/${context.invocation.command.slice(0, 32)}".`,
        helpText(),
      );
    }
    return await command.run(context);
  } catch (error) {
    outcome = error instanceof UserError ? "user_error" : "error";
    return errorReply(error, logger);
  } finally {
    const name = context.invocation.command === "help" ? "help" : (command?.name ?? "unknown");
    metrics.commandServed(context.platform, name, outcome, (performance.now() - started) / 1000);
  }
}

export function helpText(): string {
  return COMMANDS.map((command) => `/${command.usage} - ${command.description}`).join("\n");
}

/**
 * Reads a typed line. "/search hessian" names its command; with `subcommands` (Slack's single
 * `/paper` command) "search hessian" does too; anything else goes to `defaultCommand`.
 */
export function parseCommandLine(
  line: string,
  options: { defaultCommand: string; subcommands: boolean } = { defaultCommand: "ask", subcommands: false },
): Invocation {
  const trimmed = line.trim();
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const text = rest.join(" ");
  if (first.startsWith("/")) return { command: first.slice(1).toLowerCase(), text };
  const lowered = first.toLowerCase();
  if (options.subcommands && (lowered === "help" || findCommand(lowered))) return { command: lowered, text };
  return { command: options.defaultCommand, text: trimmed };
}
