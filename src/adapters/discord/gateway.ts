/**
 * Gateway mode: the discord.js Client holds the WebSocket (and shards); raw INTERACTION_CREATE and
 * MESSAGE_CREATE dispatches go to the same transport-free handlers the HTTP mode uses.
 */
import {
  type APIInteraction,
  Client,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type GatewayMessageCreateDispatchData,
  Options,
  Routes,
} from "discord.js";
import { createChannelPoster } from "./channel-poster.ts";
import { CONNECT_TIMEOUT_MS, checkDiscordLogin } from "./check-login.ts";
import { CustomIdCodec } from "./custom-id.ts";
import { InFlight } from "./in-flight.ts";
import { createInteractionHandler } from "./interaction-handler.ts";
import { createInteractionRest, webhookResponder } from "./interaction-rest.ts";
import { createMentionHandler } from "./mentions.ts";
import { createSingleAttemptRest } from "./single-attempt-rest.ts";
import { explainStartupError, shownApiUrl } from "./startup-errors.ts";
import type { DiscordConfig, DiscordDeps, DiscordHandle } from "./types.ts";

/** How long shutdown waits for replies already being worked on. */
export const SHUTDOWN_GRACE_MS = 10_000;

export function gatewayIntents(config: Pick<DiscordConfig, "mentions">): GatewayIntentBits[] {
  // Slash commands need only Guilds; mentions add message events (not the privileged MessageContent:
  // Discord includes the content of messages that mention the bot, and of DMs).
  const intents = [GatewayIntentBits.Guilds];
  if (config.mentions) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages);
  return intents;
}

export async function startDiscordGateway(deps: DiscordDeps, config: DiscordConfig): Promise<DiscordHandle> {
  if (!config.token) throw new Error("DISCORD_TOKEN is needed to connect to the Discord gateway");
  if (!deps.keys) throw new Error("Discord needs the shared key store (deps.keys) for button state");
  const { logger } = deps;
  logger.info(`discord: connecting to Discord at ${shownApiUrl(config.apiUrl)}...`);
  // Token, API URL and network are checked before anything is opened, so a mistake leaves nothing to close.
  const user = await checkDiscordLogin({ token: config.token, apiUrl: config.apiUrl });
  logger.debug(`discord: DISCORD_TOKEN accepted for ${user.username}; opening the gateway`);
  const client = new Client({
    intents: gatewayIntents(config),
    rest: config.apiUrl ? { api: config.apiUrl } : {},
    // The bot reads nothing back from Discord, so keep no messages in memory.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
  });
  const interactionRest = createInteractionRest(config.apiUrl);
  // Channel messages (mention replies, daily posts) are created through this one; client.rest would resend them.
  const sendRest = createSingleAttemptRest(config.apiUrl).setToken(config.token);
  // Long button state is shared, so a button works after a restart and on whichever shard gets the click.
  const buttons = new CustomIdCodec(deps.keys);
  const inFlight = new InFlight();
  const handleInteraction = createInteractionHandler({ deps, buttons });
  const handleMention = createMentionHandler({
    deps,
    buttons,
    botUserId: () => client.user?.id,
    send: (channelId, body) => sendRest.post(Routes.channelMessages(channelId), { body }),
  });

  client.ws.on(GatewayDispatchEvents.InteractionCreate, (interaction: APIInteraction) => {
    inFlight.track(handleInteraction(interaction, webhookResponder(interactionRest.rest, interaction)));
  });
  if (config.mentions) {
    client.ws.on(GatewayDispatchEvents.MessageCreate, (message: GatewayMessageCreateDispatchData) => {
      inFlight.track(handleMention(message));
    });
  }
  client.on(Events.Error, (error) => logger.error("discord client error", error));
  client.on(Events.ShardError, (error, shardId) =>
    logger.warn(`discord shard ${shardId} error`, error.message),
  );

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.token);
    await ready;
  } catch (error) {
    // login destroyed the client already; the REST clients' timers would keep the process up.
    interactionRest.close();
    sendRest.clearHashSweeper();
    sendRest.clearHandlerSweeper();
    throw explainStartupError(error, {
      apiUrl: config.apiUrl,
      request: "GET /gateway/bot",
      timeoutMs: CONNECT_TIMEOUT_MS,
    });
  }
  logger.info(
    `discord: connected as ${client.user?.tag ?? "?"} (shards ${[...client.ws.shards.keys()].join(",")})`,
  );

  const poster = createChannelPoster({ send: sendRest, read: client.rest }, buttons);
  return {
    post: poster.post,
    wasPosted: poster.wasPosted,
    async stop() {
      // Replies first (new interactions keep being answered meanwhile), then the gateway.
      if (!(await inFlight.drain(SHUTDOWN_GRACE_MS)))
        logger.warn("discord: stopped with replies still running");
      await client.destroy();
      interactionRest.close();
      sendRest.clearHashSweeper();
      sendRest.clearHandlerSweeper();
    },
  };
}
