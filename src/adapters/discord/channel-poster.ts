/**
 * Channel messages outside any interaction: daily posts. Each `post` is one attempt (the daily
 * engine owns every retry); a repeated send within a few minutes is deduplicated by Discord through
 * the nonce; after a longer outage `wasPosted` finds the earlier post by a marker its buttons
 * carry, because fetched messages no longer hold the nonce.
 */
import { createHash } from "node:crypto";
import { type APIMessage, type APIUser, DiscordAPIError, type REST, Routes } from "discord.js";
import type { ChannelPoster } from "../../core/daily-control.ts";
import type { CustomIdCodec } from "./custom-id.ts";
import { DISCORD_LIMITS } from "./limits.ts";
import { renderReply } from "./render-reply.ts";

/** How far back `wasPosted` looks: one page of the channel's newest messages (Discord's default page). */
export const WAS_POSTED_LOOKBACK = 50;

/**
 * Snowflakes are unsigned 64-bit, so an owner id from 2^64 up is nobody: every click on such a
 * button gets the clicker's own private copy. Below 10^20 the codec still writes it inline (at
 * most 20 digits), so the owner survives in the custom_id of the posted message and can carry the
 * post's marker: about 66 bits of a hash of its idempotency key, invisible to users.
 */
const MARKER_FLOOR = 2n ** 64n;
const MARKER_SPAN = 10n ** 20n - MARKER_FLOOR;

/** Discord's nonce holds 25 characters; longer keys are hashed down so they stay distinct. */
export function toNonce(idempotencyKey: string): string {
  if (idempotencyKey.length <= DISCORD_LIMITS.NONCE) return idempotencyKey;
  return createHash("sha256").update(idempotencyKey).digest("base64url").slice(0, DISCORD_LIMITS.NONCE);
}

/** The button owner id a daily post with this key is sent under: no user, and unique to the key. */
export function postMarker(idempotencyKey: string): string {
  const digest = createHash("sha256").update(`paperbot-daily:${idempotencyKey}`).digest();
  return (MARKER_FLOOR + (BigInt(`0x${digest.subarray(0, 12).toString("hex")}`) % MARKER_SPAN)).toString();
}

/** True when one of the message's buttons was written for this marker. */
export async function carriesMarker(
  message: APIMessage,
  marker: string,
  buttons: CustomIdCodec,
): Promise<boolean> {
  for (const row of message.components ?? []) {
    for (const component of "components" in row ? row.components : []) {
      const customId = "custom_id" in component ? component.custom_id : undefined;
      if (typeof customId !== "string") continue;
      const decoded = await buttons.decode(customId);
      if (decoded.ok && decoded.state.ownerId === marker) return true;
    }
  }
  return false;
}

/** A failed lookup must not read as "not posted": that would send the day's post a second time. */
export class PostLookupError extends Error {
  constructor(channelId: string, cause: unknown) {
    const reason =
      cause instanceof DiscordAPIError
        ? `${cause.message} (HTTP ${cause.status}, code ${cause.code})`
        : cause instanceof Error
          ? cause.message
          : String(cause);
    super(`Could not check channel ${channelId} for an earlier daily post: ${reason}`, { cause });
    this.name = "PostLookupError";
  }
}

/** The bot's REST clients: `send` must make one attempt per call (single-attempt-rest.ts), `read` may retry. */
export interface ChannelRest {
  send: REST;
  read: REST;
}

export function createChannelPoster(rest: ChannelRest | undefined, buttons: CustomIdCodec): ChannelPoster {
  let botUserId: Promise<string> | undefined;
  // The bot's own user id (not always the application id), asked once per process.
  const ownId = (client: REST): Promise<string> => {
    botUserId ??= (client.get(Routes.user()) as Promise<APIUser>).then((user) => user.id);
    botUserId.catch(() => {
      botUserId = undefined;
    });
    return botUserId;
  };

  return {
    async post(channelId, reply, { idempotencyKey }) {
      if (!rest) throw new Error("DISCORD_TOKEN is needed to post to a channel");
      // Long button state is stored before the post exists, so its buttons work on every replica.
      const { flags: _ephemeralMakesNoSenseHere, ...message } = await buttons.render((encoder) =>
        renderReply(reply, { ownerId: postMarker(idempotencyKey), buttons: encoder }),
      );
      const body = { ...message, nonce: toNonce(idempotencyKey), enforce_nonce: true };
      const sent = (await rest.send.post(Routes.channelMessages(channelId), { body })) as { id: string };
      return { messageId: sent.id };
    },
    /**
     * Looks through the channel's newest messages for one of the bot's own carrying the marker.
     * Throws PostLookupError when the channel cannot be read (403, 404, network): the daily
     * engine then retries later and finally records the day as failed instead of posting twice.
     */
    async wasPosted(channelId, idempotencyKey) {
      if (!rest) throw new Error("DISCORD_TOKEN is needed to read a channel");
      let messages: APIMessage[];
      let author: string;
      try {
        author = await ownId(rest.read);
        messages = (await rest.read.get(Routes.channelMessages(channelId), {
          query: new URLSearchParams({ limit: String(WAS_POSTED_LOOKBACK) }),
        })) as APIMessage[];
      } catch (error) {
        throw new PostLookupError(channelId, error);
      }
      const marker = postMarker(idempotencyKey);
      try {
        for (const message of messages) {
          if (message.author?.id === author && (await carriesMarker(message, marker, buttons))) return true;
        }
      } catch (error) {
        // Stored button state that cannot be read leaves the answer unknown, not "not posted".
        throw new PostLookupError(channelId, error);
      }
      return false;
    },
  };
}
