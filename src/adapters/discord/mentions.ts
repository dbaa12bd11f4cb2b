/**
 * "@paperbot anything on lottery tickets?" -> `ask`, answered as a reply to that message. Discord
 * delivers the content of messages that mention the bot (and of DMs) without the privileged
 * MessageContent intent, so the GuildMessages/DirectMessages intents are enough.
 */
import type { GatewayMessageCreateDispatchData } from "discord.js";
import { parseCommandLine, runCommand } from "../../../commands/index.ts";
import type { CommandContext } from "../../core/command.ts";
import type { CustomIdCodec } from "./custom-id.ts";
import { type DiscordMessage, renderReply } from "./render-reply.ts";
import type { DiscordDeps } from "./types.ts";

export const MENTION_HINT =
  'Ask me about papers, e.g. "@paperbot anything on lottery tickets?", or use /paper, /search or /ask.';

export type MentionReply = DiscordMessage & {
  message_reference: { message_id: string; channel_id: string; guild_id?: string; fail_if_not_exists: false };
  nonce: string;
  enforce_nonce: true;
};

export interface MentionHandlerOptions {
  deps: DiscordDeps;
  buttons: CustomIdCodec;
  botUserId: () => string | undefined;
  /** Must make one attempt (single-attempt-rest.ts): a resend after a lost answer would reply twice. */
  send: (channelId: string, message: MentionReply) => Promise<unknown>;
}

export function createMentionHandler(options: MentionHandlerOptions) {
  const { deps, buttons } = options;
  return async (message: GatewayMessageCreateDispatchData): Promise<void> => {
    const botId = options.botUserId();
    if (!botId || message.author.bot || message.webhook_id) return;
    const inDm = !message.guild_id;
    const mentioned = message.mentions.some((user) => user.id === botId);
    if (!mentioned && !inDm) return;
    const text = message.content.replace(new RegExp(`<@!?${botId}>`, "g"), " ").trim();
    // Without readable content (e.g. a reply that only pinged the bot) there is nothing to answer.
    if (!text && !mentioned) return;

    const invocation = text
      ? parseCommandLine(text, { defaultCommand: "ask", subcommands: false })
      : { command: "help", text: "" };
    const context: CommandContext = {
      invocation,
      papers: deps.getPapers(),
      platform: "discord",
      user: {
        id: message.author.id,
        name: message.author.global_name ?? message.author.username,
        canManageChannel: inDm,
      },
      channel: { id: message.channel_id },
      now: deps.now ?? (() => new Date()),
      random: deps.random ?? Math.random,
      daily: deps.daily,
      library: deps.library,
      follows: deps.follows,
    };
    const reply = text
      ? await runCommand(context, deps.logger, deps.metrics)
      : { kind: "message" as const, tone: "info" as const, text: MENTION_HINT, ephemeral: false };
    // A channel message cannot be ephemeral and Discord has no private reply to one: the asker asked in
    // public, so every reply (errors and hints too) is public, pings nobody, and its buttons stay the asker's.
    let rendered: DiscordMessage;
    try {
      rendered = await buttons.render((encoder) =>
        renderReply(reply, { ownerId: message.author.id, buttons: encoder }),
      );
    } catch (error) {
      deps.logger.error(`could not store button state to reply to message ${message.id}`, error);
      return;
    }
    const { flags: _flags, ...visible } = rendered;
    const body: MentionReply = {
      ...visible,
      // Last, so no rendered reply can switch pings back on: not @everyone, roles, users, nor the asker.
      allowed_mentions: { parse: [], replied_user: false },
      message_reference: {
        message_id: message.id,
        channel_id: message.channel_id,
        ...(message.guild_id ? { guild_id: message.guild_id } : {}),
        fail_if_not_exists: false,
      },
      // Should the same message be handled twice (a redelivered dispatch), Discord hands back the
      // first reply instead of storing a second. A snowflake fits the 25-character nonce.
      nonce: message.id,
      enforce_nonce: true,
    };
    try {
      await options.send(message.channel_id, body);
    } catch (error) {
      // Typically missing Send Messages permission in that channel: nothing to answer with.
      deps.logger.warn(
        `could not reply to message ${message.id}`,
        error instanceof Error ? error.message : error,
      );
    }
  };
}
