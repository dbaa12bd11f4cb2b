/**
 * What the Slack adapter remembers between requests, kept in the shared KeyStore so any number of
 * replicas behind a load balancer behave as one bot: event ids already taken (Slack retries the
 * same event_id, possibly to another replica), messages already answered (a DM mention arrives as
 * both app_mention and message.im, possibly on two replicas), and the threads the bot follows up in.
 */
import type { Logger } from "../../core/logger.ts";
import type { KeyStore } from "../../store/key-store.ts";

const MINUTE = 60_000;
/** Slack retries for about 5 minutes after the first try; keep ids well past that. */
export const EVENT_DEDUPE_TTL_MS = 15 * MINUTE;
/** A thread stays followed this long after the bot last posted in it. */
export const THREAD_TTL_MS = 7 * 24 * 60 * MINUTE;

export const EVENT_NAMESPACE = "slack-event";
export const ANSWERED_NAMESPACE = "slack-answered";
export const THREAD_NAMESPACE = "slack-thread";

export function threadKey(channel: string, threadTs: string): string {
  return `${channel}:${threadTs}`;
}

/**
 * Events are acked before any of this runs, so Slack will not send them again: when the store
 * cannot be reached, a dedupe check lets the event through (an occasional double answer beats
 * silence) and a thread lookup says "not ours" (the bot stays out of conversations it cannot place).
 */
export class ConversationMemory {
  constructor(
    private readonly keys: KeyStore,
    private readonly logger: Logger,
  ) {}

  /** True for exactly one delivery of an event id, whichever replica it reaches and whatever its retry header. */
  firstDelivery(eventId: string): Promise<boolean> {
    return this.claim(EVENT_NAMESPACE, eventId, EVENT_DEDUPE_TTL_MS);
  }

  /** True for exactly one of the events carrying the message `channel`/`ts`. */
  firstAnswer(channel: string, ts: string): Promise<boolean> {
    return this.claim(ANSWERED_NAMESPACE, `${channel}:${ts}`, EVENT_DEDUPE_TTL_MS);
  }

  /** Whether the bot started or answered in this thread (on any replica) within THREAD_TTL_MS. */
  async follows(channel: string, threadTs: string): Promise<boolean> {
    try {
      return (await this.keys.get(THREAD_NAMESPACE, threadKey(channel, threadTs))) !== undefined;
    } catch (error) {
      this.logger.warn("slack: could not look up a thread; treating it as not followed", error);
      return false;
    }
  }

  /** Follows the thread, or keeps following it for another THREAD_TTL_MS. Never throws: the answer is out already. */
  async follow(channel: string, threadTs: string): Promise<void> {
    try {
      await this.keys.put(THREAD_NAMESPACE, threadKey(channel, threadTs), THREAD_TTL_MS);
    } catch (error) {
      this.logger.warn("slack: could not record a followed thread", error);
    }
  }

  private async claim(namespace: string, key: string, ttlMs: number): Promise<boolean> {
    try {
      return await this.keys.claim(namespace, key, ttlMs);
    } catch (error) {
      this.logger.warn(`slack: could not check ${namespace} ${key}; handling it anyway`, error);
      return true;
    }
  }
}
