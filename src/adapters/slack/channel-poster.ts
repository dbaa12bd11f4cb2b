/**
 * Daily posts: chat.postMessage outside any interaction, tagged with message metadata so a
 * restarted process can ask conversations.history whether today's post already went out.
 */
import type { ChannelPoster, PostOptions, PostResult } from "../../core/daily-control.ts";
import type { Reply } from "../../core/reply.ts";
import type { ConversationMemory } from "./conversation-memory.ts";
import { renderReply } from "./render-reply.ts";
import type { SlackWebClients } from "./web-clients.ts";

export const DAILY_EVENT_TYPE = "paperbot_daily";
/** How far back wasPosted looks: daily posts are at most a day apart, and channels are rarely this busy. */
const HISTORY_LIMIT = 200;

interface DailyMetadata {
  event_type?: string;
  event_payload?: { key?: unknown };
}

/**
 * The daily service, not the client, decides when to try again: both clients reject rate-limited
 * calls (the error then carries `retryAfterMs`), and the posting one never resends a post, which
 * Slack may have stored even when the call failed; the service asks wasPosted before a new try.
 */
export function createChannelPoster(clients: SlackWebClients, memory: ConversationMemory): ChannelPoster {
  return {
    async post(channelId: string, reply: Reply, options: PostOptions): Promise<PostResult> {
      try {
        const result = await clients.posting.chat.postMessage({
          channel: channelId,
          ...renderReply(reply),
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: DAILY_EVENT_TYPE, event_payload: { key: options.idempotencyKey } },
        });
        const ts = result.ts ?? "";
        // Replies in the daily post's thread are follow-up questions, on whichever replica they land.
        if (ts) await memory.follow(channelId, ts);
        return { messageId: ts };
      } catch (error) {
        throw withRetryAfter(error);
      }
    },
    async wasPosted(channelId: string, idempotencyKey: string): Promise<boolean> {
      try {
        const result = await clients.reading.conversations.history({
          channel: channelId,
          include_all_metadata: true,
          limit: HISTORY_LIMIT,
        });
        return (result.messages ?? []).some((message) => {
          const metadata = (message as { metadata?: DailyMetadata }).metadata;
          return metadata?.event_type === DAILY_EVENT_TYPE && metadata.event_payload?.key === idempotencyKey;
        });
      } catch (error) {
        throw withRetryAfter(error);
      }
    },
  };
}

function withRetryAfter(error: unknown): unknown {
  const retryAfter = (error as { code?: string; retryAfter?: number }).retryAfter;
  if (error instanceof Error && typeof retryAfter === "number") {
    Object.assign(error, { retryAfterMs: retryAfter * 1000 });
  }
  return error;
}
