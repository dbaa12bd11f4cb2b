/**
 * What the `daily` command and the platform adapters need from the daily-post service. Core
 * code sees only these interfaces; src/daily/ implements DailyControl, adapters implement
 * ChannelPoster.
 */
import type { Platform } from "./command.ts";
import type { Reply } from "./reply.ts";

export interface DailyChannel {
  platform: Platform;
  channelId: string;
}

export interface DailyControl {
  /** Runs a `daily` sub-command (on/off/status/now) for one channel and says what happened. */
  handle(
    channel: DailyChannel,
    text: string,
    user: { id: string; canManageChannel?: boolean },
  ): Promise<Reply>;
}

export interface PostOptions {
  /**
   * At most 25 characters. Discord: the message `nonce` with `enforce_nonce: true`. Slack: the
   * message metadata `{event_type: "paperbot_daily", event_payload: {key}}`.
   */
  idempotencyKey: string;
}

export interface PostResult {
  messageId: string;
}

/**
 * Sends to a channel outside any interaction: what a platform adapter's handle offers so daily
 * posts can reach it. A thrown error may carry `retryAfterMs` (rate limits) to steer the retry.
 */
export interface ChannelPoster {
  post(channelId: string, reply: Reply, options: PostOptions): Promise<PostResult>;
  /** True when a message with this idempotency key is already in the channel (throws when it cannot tell, so a retry never risks a second post). */
  wasPosted(channelId: string, idempotencyKey: string): Promise<boolean>;
}
