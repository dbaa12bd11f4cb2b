/**
 * Sends answers to people (thread replies, private messages) at most once. The posting client
 * never retries (see web-clients.ts): after a 5xx or a timeout Slack may have stored the message,
 * and a resend would show it twice. A rate limit is the one failure Slack rejects before storing
 * anything, so only that is waited out and tried again.
 */
import { webApi } from "@slack/bolt";
import type { WebClient } from "./web-clients.ts";

/** Rate limits one reply waits out before it is given up (and the failure logged). */
const MAX_RATE_LIMIT_WAITS = 3;
/** An answer delayed longer than this by one Retry-After is stale; give up instead. */
const MAX_RATE_LIMIT_WAIT_MS = 30_000;

type PostMessageResult = Awaited<ReturnType<WebClient["chat"]["postMessage"]>>;
type PostEphemeralResult = Awaited<ReturnType<WebClient["chat"]["postEphemeral"]>>;

export interface ReplyPoster {
  postMessage(args: webApi.ChatPostMessageArguments): Promise<PostMessageResult>;
  postEphemeral(args: webApi.ChatPostEphemeralArguments): Promise<PostEphemeralResult>;
}

/** `client` must not retry and must reject rate-limited calls (createWebClients' `posting`). */
export function createReplyPoster(client: WebClient): ReplyPoster {
  async function sendOnce<T>(send: () => Promise<T>): Promise<T> {
    for (let waits = 0; ; waits++) {
      try {
        return await send();
      } catch (error) {
        const waitMs = rateLimitWaitMs(error);
        if (waitMs === undefined || waitMs > MAX_RATE_LIMIT_WAIT_MS || waits >= MAX_RATE_LIMIT_WAITS)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }
  return {
    postMessage: (args) => sendOnce(() => client.chat.postMessage(args)),
    postEphemeral: (args) => sendOnce(() => client.chat.postEphemeral(args)),
  };
}

function rateLimitWaitMs(error: unknown): number | undefined {
  const { code, retryAfter } = error as { code?: unknown; retryAfter?: unknown };
  return code === webApi.ErrorCode.RateLimitedError && typeof retryAfter === "number"
    ? retryAfter * 1000
    : undefined;
}
