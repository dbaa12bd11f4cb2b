/**
 * Slash commands: `/paper <id|words>`, `/paper search|random|ask|daily|help ...`, plus optional
 * separate commands (`/search` ...) when configured. The answer goes in the ack body when it is
 * ready in time (one round trip); otherwise the ack is empty and the answer follows on response_url.
 */
import type { App, RespondArguments } from "@slack/bolt";
import { parseCommandLine } from "../../../commands/index.ts";
import type { Invocation, Reply } from "../../core/reply.ts";
import { normalizeName } from "./command-name.ts";
import { slackTextToPlain } from "./incoming-text.ts";
import { isEphemeral, renderReply } from "./render-reply.ts";
import type { SlackRunner } from "./slack-runner.ts";
import { registerUnknownCommands } from "./unknown-command.ts";

/** Answer inline when the command is done within this; leaves room under Slack's 3 s. */
export const INLINE_ANSWER_BUDGET_MS = 2000;

export function registerCommands(
  app: App,
  runner: SlackRunner,
  inlineBudgetMs = INLINE_ANSWER_BUDGET_MS,
): void {
  const names = runner.names;
  app.command(normalizeName(names.paper), async ({ command, ack, respond }) => {
    const text = slackTextToPlain(command.text ?? "");
    const invocation: Invocation = text
      ? parseCommandLine(text, { defaultCommand: "paper", subcommands: true })
      : { command: "help", text: "" };
    await answer(runner, invocation, command, ack, respond, inlineBudgetMs);
  });
  // One listener per name: two listeners on one command would both try to ack it.
  const registered = new Set([normalizeName(names.paper)]);
  for (const fixed of ["search", "random", "ask", "daily"] as const) {
    const name = names[fixed] ? normalizeName(names[fixed]) : undefined;
    if (!name || registered.has(name)) continue;
    registered.add(name);
    app.command(name, async ({ command, ack, respond }) => {
      const text = slackTextToPlain(command.text ?? "");
      const invocation: Invocation =
        text.toLowerCase() === "help" ? { command: "help", text: "" } : { command: fixed, text };
      await answer(runner, invocation, command, ack, respond, inlineBudgetMs);
    });
  }
  // A command set up in Slack but not mapped here would otherwise go unacked and time out.
  registerUnknownCommands(app, registered, names.paper);
}

export function toResponse(reply: Reply): RespondArguments {
  return { response_type: isEphemeral(reply) ? "ephemeral" : "in_channel", ...renderReply(reply) };
}

interface CommandPayload {
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
}

async function answer(
  runner: SlackRunner,
  invocation: Invocation,
  command: CommandPayload,
  ack: (response?: RespondArguments) => Promise<void>,
  respond: (message: RespondArguments) => Promise<unknown>,
  inlineBudgetMs: number,
): Promise<void> {
  const asker = {
    user: { id: command.user_id, name: command.user_name },
    channel: { id: command.channel_id, name: command.channel_name },
  };
  const work = runner.run(invocation, asker);
  const reply = await withinBudget(work, inlineBudgetMs);
  if (reply) {
    await ack(toResponse(reply));
    return;
  }
  await ack();
  runner.background("slash command follow-up", async () => respond(toResponse(await work)));
}

async function withinBudget<T>(work: Promise<T>, budgetMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), budgetMs);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
