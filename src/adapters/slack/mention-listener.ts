/**
 * Questions in conversation: an app_mention in a channel, any direct message, and follow-ups in
 * a thread the bot started or answered (on any replica). Each is answered with `ask` in a thread
 * under the question. Events are acked by Bolt before listeners run; the shared-memory checks and
 * the answer happen afterwards, as background work.
 */
import type { App } from "@slack/bolt";
import { parseCommandLine } from "../../../commands/index.ts";
import type { Invocation } from "../../core/reply.ts";
import type { ConversationMemory } from "./conversation-memory.ts";
import { slackTextToPlain, stripMention } from "./incoming-text.ts";
import { isEphemeral, renderReply } from "./render-reply.ts";
import type { ReplyPoster } from "./reply-poster.ts";
import type { SlackRunner } from "./slack-runner.ts";

/** A reply sent with "also send to channel" is still a person talking. */
const ANSWERABLE_SUBTYPES = new Set(["thread_broadcast"]);

interface IncomingMessage {
  type: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
}

/** Answers go out through `replies`, never Bolt's retrying client: a resent answer shows up twice. */
export function registerMentions(
  app: App,
  runner: SlackRunner,
  memory: ConversationMemory,
  replies: ReplyPoster,
): void {
  app.event("app_mention", async ({ event, context }) => {
    handle(event as IncomingMessage, context.botUserId, "mention", replies, runner, memory);
  });
  app.event("message", async ({ event, context }) => {
    const message = event as IncomingMessage;
    if (message.channel_type === "im") handle(message, context.botUserId, "mention", replies, runner, memory);
    else if (message.thread_ts !== undefined)
      handle(message, context.botUserId, "if-followed", replies, runner, memory);
  });
}

function handle(
  message: IncomingMessage,
  botUserId: string | undefined,
  when: "mention" | "if-followed",
  replies: ReplyPoster,
  runner: SlackRunner,
  memory: ConversationMemory,
): void {
  const { channel, user, ts } = message;
  // Other bots (and this one) have bot_id; edits, joins and deletions have a subtype.
  if (message.bot_id || (message.subtype && !ANSWERABLE_SUBTYPES.has(message.subtype))) return;
  if (!channel || !user || !ts || user === botUserId) return;
  const thread = message.thread_ts ?? ts;
  const invocation = toInvocation(slackTextToPlain(stripMention(message.text ?? "", botUserId)));
  runner.background("answering a mention", async () => {
    if (when === "if-followed" && !(await memory.follows(channel, thread))) return;
    // Claimed only once it will be answered: a reply in a thread the bot does not follow must
    // leave the message to its app_mention copy, should it mention the bot.
    if (!(await memory.firstAnswer(channel, ts))) return;
    const reply = await runner.run(invocation, {
      user: { id: user },
      channel: { id: channel },
    });
    const rendered = renderReply(reply);
    if (isEphemeral(reply)) {
      await replies.postEphemeral({ channel, user, thread_ts: thread, ...rendered });
      return;
    }
    await replies.postMessage({
      channel,
      thread_ts: thread,
      unfurl_links: false,
      unfurl_media: false,
      ...rendered,
    });
    await memory.follow(channel, thread);
  });
}

/** A question by default; an explicit `/search ...` or `help` works too. */
function toInvocation(text: string): Invocation {
  if (!text || text.toLowerCase() === "help") return { command: "help", text: "" };
  if (text.startsWith("/")) return parseCommandLine(text, { defaultCommand: "ask", subcommands: false });
  return { command: "ask", text };
}
