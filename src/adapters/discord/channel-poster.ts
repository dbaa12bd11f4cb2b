/** Channel messages outside any interaction: daily posts (idempotent through the nonce). */
import { createHash } from "node:crypto";
import { type REST, Routes } from "discord.js";
import type { ChannelPoster } from "../../core/daily-control.ts";
import type { CustomIdCodec } from "./custom-id.ts";
import { DISCORD_LIMITS } from "./limits.ts";
import { renderReply } from "./render-reply.ts";

/** Nobody owns a channel post's buttons, so every click gets the clicker's own private copy. */
export const NO_OWNER = "0";

/** Discord's nonce holds 25 characters; longer keys are hashed down so they stay distinct. */
export function toNonce(idempotencyKey: string): string {
  if (idempotencyKey.length <= DISCORD_LIMITS.NONCE) return idempotencyKey;
  return createHash("sha256").update(idempotencyKey).digest("base64url").slice(0, DISCORD_LIMITS.NONCE);
}

export function createChannelPoster(rest: REST | undefined, buttons: CustomIdCodec): ChannelPoster {
  return {
    async post(channelId, reply, { idempotencyKey }) {
      if (!rest) throw new Error("DISCORD_TOKEN is needed to post to a channel");
      const { flags: _ephemeralMakesNoSenseHere, ...message } = renderReply(reply, {
        ownerId: NO_OWNER,
        buttons,
      });
      const body = { ...message, nonce: toNonce(idempotencyKey), enforce_nonce: true };
      const sent = (await rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
      return { messageId: sent.id };
    },
    // The nonce already makes a repeated post return the first message, so there is nothing to look up.
    async wasPosted() {
      return false;
    },
  };
}
