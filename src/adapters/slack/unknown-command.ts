/**
 * A slash command that is set up in the Slack app but not mapped in the bot (say `/papersearch`
 * without `SLACK_COMMAND_SEARCH=/papersearch`) would otherwise reach no listener, go unacked, and
 * show the user Slack's timeout error. This answers it at once, privately, naming what to set.
 */
import type { App, RespondArguments } from "@slack/bolt";
import { normalizeName } from "./command-name.ts";
import { fitEscaped } from "./mrkdwn.ts";

const SUB_COMMANDS = ["search", "random", "ask", "daily"] as const;

/** The private hint for `name` (a command this bot has no listener for). */
export function unknownCommandHint(name: string, paperName: string): string {
  const shown = fitEscaped(normalizeName(name), 100);
  const paper = fitEscaped(normalizeName(paperName), 100);
  const bare = shown.slice(1);
  const sub = SUB_COMMANDS.find((candidate) => bare.includes(candidate));
  if (sub) {
    const variable = `SLACK_COMMAND_${sub.toUpperCase()}`;
    return `I don't know ${shown} here. To use it, set ${variable}=${shown} (or type ${paper} ${sub} ...).`;
  }
  if (bare.includes("paper")) {
    return `I don't know ${shown} here. To use it, set SLACK_COMMAND_PAPER=${shown}.`;
  }
  return (
    `I don't know ${shown} here. To use it, set one of SLACK_COMMAND_PAPER, SLACK_COMMAND_SEARCH, ` +
    `SLACK_COMMAND_RANDOM, SLACK_COMMAND_ASK or SLACK_COMMAND_DAILY to ${shown}. ` +
    `${paper} search, ${paper} random, ${paper} ask and ${paper} daily also work as sub-commands of ${paper}.`
  );
}

/**
 * Answers every command not in `known` in the ack. Bolt runs every matching listener, so this one
 * matches all names and leaves the known ones alone: their own listener acks them, once.
 */
export function registerUnknownCommands(app: App, known: ReadonlySet<string>, paperName: string): void {
  app.command(/.*/, async ({ command, ack }) => {
    // Bolt matches string names exactly, so "known" must too, or a near miss would go unacked.
    if (known.has(command.command)) return;
    const response: RespondArguments = {
      response_type: "ephemeral",
      text: unknownCommandHint(command.command ?? "", paperName),
    };
    await ack(response);
  });
}
