/**
 * One raw Discord interaction (API JSON, from the gateway or the HTTP endpoint) -> run the
 * command -> respond. Transport-free: the responder says how a response reaches Discord.
 */
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataOption,
  APIChatInputApplicationCommandInteraction,
  APIInteraction,
  APIMessageComponentInteraction,
} from "discord.js";
import { findCommand, runCommand } from "../../../commands/index.ts";
import type { CommandContext } from "../../core/command.ts";
import type { Invocation, MessageReply, Reply } from "../../core/reply.ts";
import type { CustomIdCodec, DecodedButton } from "./custom-id.ts";
import type { InteractionResponder } from "./interaction-rest.ts";
import { DISCORD_LIMITS } from "./limits.ts";
import { fitPlain } from "./markdown.ts";
import {
  type DiscordMessage,
  EPHEMERAL_FLAG,
  isEphemeral,
  NO_MENTIONS,
  renderReply,
} from "./render-reply.ts";
import type { DiscordDeps } from "./types.ts";

// Interaction and response type numbers from Discord's API (kept literal: this file must not depend on SDK runtime).
const APPLICATION_COMMAND = 2;
const MESSAGE_COMPONENT = 3;
const AUTOCOMPLETE = 4;
const CHAT_INPUT = 1;
const CHANNEL_MESSAGE = 4;
const DEFERRED_CHANNEL_MESSAGE = 5;
const DEFERRED_UPDATE_MESSAGE = 6;
const UPDATE_MESSAGE = 7;
const AUTOCOMPLETE_RESULT = 8;
const ADMINISTRATOR = 1n << 3n;
const MANAGE_CHANNELS = 1n << 4n;

/**
 * Answer directly when the reply is ready within this; otherwise defer and edit. Well inside the 3 s
 * deadline, leaving room for the deferral's own round trip under load.
 */
export const DEFER_AFTER_MS = 1000;

export const BUTTON_EXPIRED = "This button expired, run the command again.";
export const BUTTON_UNKNOWN = "This button is from an older paperbot, run the command again.";

/** What the user sees when something on our side failed (the details go to the log). */
const FAILURE_REPLY: MessageReply = {
  kind: "message",
  tone: "error",
  text: "Something went wrong on my side. Please try again.",
  ephemeral: true,
};

export interface InteractionHandlerOptions {
  deps: DiscordDeps;
  buttons: CustomIdCodec;
  deferAfterMs?: number;
  /** The command runner; tests may replace it to simulate slow commands. */
  run?: (context: CommandContext) => Promise<Reply>;
}

/** How a reply lands: a new message, an in-place update of the clicked message, or a private copy. */
type Delivery = "reply" | "update" | "private";

export type InteractionHandler = (
  interaction: APIInteraction,
  responder: InteractionResponder,
) => Promise<void>;

export function createInteractionHandler(options: InteractionHandlerOptions): InteractionHandler {
  const { deps, buttons } = options;
  const deferAfterMs = options.deferAfterMs ?? DEFER_AFTER_MS;
  const run = options.run ?? ((context: CommandContext) => runCommand(context, deps.logger, deps.metrics));

  async function deliver(
    work: Promise<Reply>,
    delivery: Delivery,
    ownerId: string,
    responder: InteractionResponder,
  ) {
    /** The message, its long button state stored; when the store fails, the generic private error. */
    const render = async (result: Reply): Promise<{ reply: Reply; message: DiscordMessage }> => {
      let reply = result;
      let message: DiscordMessage;
      try {
        message = await buttons.render((encoder) => renderReply(reply, { ownerId, buttons: encoder }));
      } catch (error) {
        deps.logger.error("discord: could not store button state", error);
        reply = FAILURE_REPLY;
        // A message reply has no buttons, so this render touches no store.
        message = await buttons.render((encoder) => renderReply(reply, { ownerId, buttons: encoder }));
      }
      if (delivery === "private" || isEphemeral(reply)) message.flags = EPHEMERAL_FLAG;
      return { reply, message };
    };
    const ready = await settleWithin(work, deferAfterMs);
    if (ready) {
      const { reply, message } = await render(ready.reply);
      // An error after a click goes to the clicker privately instead of replacing the message.
      const update = delivery === "update" && !isEphemeral(reply);
      await responder.respond(
        update ? { type: UPDATE_MESSAGE, data: asUpdate(message) } : { type: CHANNEL_MESSAGE, data: message },
      );
      return;
    }
    await responder.respond(
      delivery === "update"
        ? { type: DEFERRED_UPDATE_MESSAGE }
        : { type: DEFERRED_CHANNEL_MESSAGE, data: delivery === "private" ? { flags: EPHEMERAL_FLAG } : {} },
    );
    const { reply, message } = await render(await work);
    if (delivery === "private" || !isEphemeral(reply)) {
      await responder.editOriginal(delivery === "update" ? asUpdate(message) : withoutFlags(message));
      return;
    }
    // The deferral was public but the reply is private: swap the "thinking" message for an ephemeral follow-up.
    if (delivery === "reply") await responder.deleteOriginal();
    await responder.followUp(message);
  }

  function context(interaction: APIInteraction, invocation: Invocation): CommandContext {
    const user = interaction.member?.user ?? interaction.user;
    const permissions = interaction.member?.permissions;
    const canManageChannel = permissions
      ? (BigInt(permissions) & (ADMINISTRATOR | MANAGE_CHANNELS)) !== 0n
      : // Outside a guild (a DM) the channel is the user's own.
        true;
    return {
      invocation,
      papers: deps.getPapers(),
      platform: "discord",
      user: { id: user?.id ?? "unknown", name: user?.global_name ?? user?.username, canManageChannel },
      channel: {
        id: interaction.channel?.id ?? interaction.channel_id ?? "unknown",
        name: channelName(interaction),
      },
      now: deps.now ?? (() => new Date()),
      random: deps.random ?? Math.random,
      daily: deps.daily,
      library: deps.library,
      follows: deps.follows,
    };
  }

  async function command(
    interaction: APIChatInputApplicationCommandInteraction,
    responder: InteractionResponder,
  ) {
    const invocation: Invocation = { command: interaction.data.name, text: optionText(interaction) };
    const ownerId = userId(interaction);
    await deliver(safeRun(context(interaction, invocation)), "reply", ownerId, responder);
  }

  async function button(interaction: APIMessageComponentInteraction, responder: InteractionResponder) {
    let decoded: DecodedButton;
    try {
      decoded = await buttons.decode(interaction.data.custom_id);
    } catch (error) {
      deps.logger.error("discord: could not read button state", error);
      await responder.respond({ type: CHANNEL_MESSAGE, data: privateNotice(FAILURE_REPLY.text) });
      return;
    }
    if (!decoded.ok) {
      const text = decoded.reason === "expired" ? BUTTON_EXPIRED : BUTTON_UNKNOWN;
      await responder.respond({ type: CHANNEL_MESSAGE, data: privateNotice(text) });
      return;
    }
    const clicker = userId(interaction);
    const { ownerId, invocation, kind } = decoded.state;
    // Related papers are the clicker's own detour: the paper stays as it was, for everyone.
    const delivery: Delivery = clicker === ownerId && kind !== "related" ? "update" : "private";
    // A private copy belongs to the clicker, so its buttons update their copy.
    await deliver(safeRun(context(interaction, invocation)), delivery, clicker, responder);
  }

  async function autocomplete(
    interaction: APIApplicationCommandAutocompleteInteraction,
    responder: InteractionResponder,
  ): Promise<void> {
    const focused = findFocused(interaction.data.options ?? []);
    const option = findCommand(interaction.data.name)?.options.find(
      (candidate) => candidate.name === focused?.name,
    );
    let choices: { name: string; value: string }[] = [];
    if (focused && option?.autocomplete) {
      try {
        choices = deps
          .getPapers()
          .suggest(String(focused.value ?? ""), DISCORD_LIMITS.AUTOCOMPLETE_CHOICES)
          .slice(0, DISCORD_LIMITS.AUTOCOMPLETE_CHOICES)
          .filter((paper) => paper.id.length <= DISCORD_LIMITS.CHOICE_VALUE)
          .map((paper) => ({
            name: fitPlain(paper.title, DISCORD_LIMITS.CHOICE_NAME) || paper.id,
            value: paper.id,
          }));
      } catch (error) {
        deps.logger.warn("autocomplete failed", error);
      }
    }
    await responder.respond({ type: AUTOCOMPLETE_RESULT, data: { choices } });
  }

  function safeRun(commandContext: CommandContext): Promise<Reply> {
    // runCommand never throws; the guard keeps a replaced runner from leaving an interaction unanswered.
    return run(commandContext).catch((error: unknown) => {
      deps.logger.error("command runner failed", error);
      return FAILURE_REPLY;
    });
  }

  return async (interaction, responder) => {
    try {
      if (interaction.type === APPLICATION_COMMAND && interaction.data.type === CHAT_INPUT) {
        await command(interaction as APIChatInputApplicationCommandInteraction, responder);
      } else if (interaction.type === MESSAGE_COMPONENT) {
        await button(interaction, responder);
      } else if (interaction.type === AUTOCOMPLETE) {
        await autocomplete(interaction, responder);
      } else {
        await responder.respond({ type: CHANNEL_MESSAGE, data: privateNotice("I can't handle that yet.") });
      }
    } catch (error) {
      // Usually an expired token (the 3 s window passed) or a network failure; nothing left to answer.
      deps.logger.warn(`interaction ${interaction.id} could not be answered`, errorSummary(error));
    }
  };
}

/** The reply if `work` settles within `ms`, else undefined. */
async function settleWithin(work: Promise<Reply>, ms: number): Promise<{ reply: Reply } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.then((reply) => ({ reply })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** An update replaces the whole message: clear what the new reply does not set. */
function asUpdate(message: DiscordMessage): DiscordMessage {
  const { flags: _flags, ...rest } = message;
  return { content: "", embeds: [], components: [], ...rest };
}

function withoutFlags(message: DiscordMessage): DiscordMessage {
  const { flags: _flags, ...rest } = message;
  return rest;
}

function privateNotice(text: string): DiscordMessage & { flags: number } {
  return { content: text, flags: EPHEMERAL_FLAG, allowed_mentions: NO_MENTIONS, components: [] };
}

/** Option values joined in the command's declared order (the Invocation contract). */
function optionText(interaction: APIChatInputApplicationCommandInteraction): string {
  const given = new Map((interaction.data.options ?? []).map((option) => [option.name, optionValue(option)]));
  const declared = findCommand(interaction.data.name)?.options.map((option) => option.name) ?? [
    ...given.keys(),
  ];
  return declared
    .map((name) => given.get(name) ?? "")
    .filter((value) => value !== "")
    .join(" ");
}

function optionValue(option: APIApplicationCommandInteractionDataOption): string {
  return "value" in option && option.value !== undefined ? String(option.value).trim() : "";
}

function findFocused(
  options: readonly APIApplicationCommandInteractionDataOption[],
): { name: string; value?: unknown } | undefined {
  for (const option of options) {
    if ("focused" in option && option.focused) return option;
    if ("options" in option && option.options) {
      const nested = findFocused(option.options as APIApplicationCommandInteractionDataOption[]);
      if (nested) return nested;
    }
  }
  return undefined;
}

function userId(interaction: APIInteraction): string {
  return interaction.member?.user.id ?? interaction.user?.id ?? "unknown";
}

function channelName(interaction: APIInteraction): string | undefined {
  const channel = interaction.channel as { name?: string | null } | undefined;
  return channel?.name ?? undefined;
}

function errorSummary(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
