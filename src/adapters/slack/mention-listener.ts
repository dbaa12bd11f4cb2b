/**
 * Questions in conversation: an app_mention in a channel, any direct message, and follow-ups in
 * a thread the bot started or answered. Each is answered with `ask` in a thread under the question.
 * Events are acked by Bolt before listeners run; the answer is written afterwards.
 */
import type { App } from "@slack/bolt";
import { parseCommandLine } from "../../../commands/index.ts";
import type { Invocation } from "../../core/reply.ts";
import type { ExpiringSet } from "./expiring-set.ts";
import { slackTextToPlain, stripMention } from "./incoming-text.ts";
import { isEphemeral, renderReply } from "./render-reply.ts";
import type { ReplyPoster } from "./reply-poster.ts";
import { canManage, type SlackRunner } from "./slack-runner.ts";

/** A reply sent with "also send to channel" is still a person talking. */
const ANSWERABLE_SUBTYPES = new Set(["thread_broadcast"]);

export interface ConversationMemory {
  /** `channel:ts` of messages already answered: a DM mention arrives as app_mention and message.im. */
  answered: ExpiringSet;
  /** `channel:thread_ts` of threads the bot started or answered in. */
  threads: ExpiringSet;
}

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
    handle(event as IncomingMessage, context.botUserId, replies, runner, memory);
  });
  app.event("message", async ({ event, context }) => {
    const message = event as IncomingMessage;
    const inDm = message.channel_type === "im";
    const inOurThread =
      message.thread_ts !== undefined &&
      memory.threads.has(threadKey(message.channel ?? "", message.thread_ts));
    if (inDm || inOurThread) handle(message, context.botUserId, replies, runner, memory);
  });
}

export function threadKey(channel: string, threadTs: string): string {
  return `${channel}:${threadTs}`;
}

function handle(
  message: IncomingMessage,
  botUserId: string | undefined,
  replies: ReplyPoster,
  runner: SlackRunner,
  memory: ConversationMemory,
): void {
  const { channel, user, ts } = message;
  // Other bots (and this one) have bot_id; edits, joins and deletions have a subtype.
  if (message.bot_id || (message.subtype && !ANSWERABLE_SUBTYPES.has(message.subtype))) return;
  if (!channel || !user || !ts || user === botUserId) return;
  if (!memory.answered.add(`${channel}:${ts}`)) return;
  const thread = message.thread_ts ?? ts;
  const invocation = toInvocation(slackTextToPlain(stripMention(message.text ?? "", botUserId)));
  runner.background("answering a mention", async () => {
    const reply = await runner.run(invocation, {
      user: { id: user, canManageChannel: canManage(channel) },
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
    memory.threads.touch(threadKey(channel, thread));
  });
}

/** A question by default; an explicit `/search ...` or `help` works too. */
function toInvocation(text: string): Invocation {
  if (!text || text.toLowerCase() === "help") return { command: "help", text: "" };
  if (text.startsWith("/")) return parseCommandLine(text, { defaultCommand: "ask", subcommands: false });
  return { command: "ask", text };
}
