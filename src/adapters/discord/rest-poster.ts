/**
 * Posting to Discord channels with no gateway connection: what the sharding manager uses for
 * daily posts and follows, so one scheduler serves every shard's channels (the REST API reaches
 * any channel the bot is in, whichever shard holds its guild).
 */
import type { ChannelPoster } from "../../core/daily-control.ts";
import type { KeyStore } from "../../store/key-store.ts";
import { createChannelPoster } from "./channel-poster.ts";
import { CustomIdCodec } from "./custom-id.ts";
import { createRest } from "./interaction-rest.ts";
import { createSingleAttemptRest } from "./single-attempt-rest.ts";
import type { DiscordConfig } from "./types.ts";

export interface DiscordRestPoster extends ChannelPoster {
  stop(): void;
}

export function createDiscordRestPoster(config: DiscordConfig, keys: KeyStore): DiscordRestPoster {
  if (!config.token) throw new Error("DISCORD_TOKEN is needed to post to Discord channels");
  const send = createSingleAttemptRest(config.apiUrl).setToken(config.token);
  const read = createRest(config.apiUrl).setToken(config.token);
  const poster = createChannelPoster({ send, read }, new CustomIdCodec(keys));
  return {
    post: poster.post,
    wasPosted: poster.wasPosted,
    stop() {
      for (const rest of [send, read]) {
        rest.clearHashSweeper();
        rest.clearHandlerSweeper();
      }
    },
  };
}
