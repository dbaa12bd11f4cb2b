/**
 * The daily-post state behind a small async interface, so a server database can replace
 * SQLite with one new class. Two operations must be atomic, because they are what keep a day
 * from being posted twice across restarts and processes: `claimPost` (one record per channel
 * and local day) and a guarded `updatePost` (one attempt at a time: a change applies only to
 * the state it was decided on).
 */
import type { Platform } from "../core/command.ts";
import type { DailyChannel } from "../core/daily-control.ts";
import type { LocalDay } from "../daily/local-time.ts";

export interface Subscription {
  platform: Platform;
  channelId: string;
  enabled: boolean;
  /** "HH:MM", 24-hour, in `timeZone`. */
  time: string;
  /** Canonical IANA zone name. */
  timeZone: string;
  /** Filter text ("" for the whole corpus). */
  filters: string;
  /** Days whose scheduled time is before this instant (ms) are not owed a post (no post for a past time). */
  activeFrom: number;
  /** Seeds the channel's shuffled order. */
  seed: string;
  rotation: number;
  rotationStartedAt: number;
  /**
   * "chat", or "env:<entry as written>" for one seeded from DAILY_CHANNELS: the entry is applied
   * again only when it changes, so chat changes to a seeded channel survive restarts.
   */
  source: string;
  updatedBy?: string;
  createdAt: number;
  updatedAt: number;
}

export type PostStatus = "claimed" | "sent" | "failed";

/** What identifies a post: a channel's local day in the zone the channel had when it was claimed. */
export interface PostId {
  platform: Platform;
  channelId: string;
  /** The scheduled local day this post is for; at most one record per channel, day and zone. */
  day: LocalDay;
  /** The channel's zone when the day was claimed: a zone change makes "15 Mar" another span of time. */
  timeZone: string;
}

/** Where sending one message stands: daily posts and follow deliveries are sent, retried and guarded alike. */
export interface SendState {
  status: PostStatus;
  /** Sends started (a crash mid-send still counts, so the next attempt asks wasPosted first). */
  attempts: number;
  nextAttemptAt: number;
  claimedAt: number;
  sentAt?: number;
  messageId?: string;
  lastError?: string;
}

export interface PostRecord extends PostId, SendState {
  /** "" when no paper could be chosen (nothing matched the filters). */
  paperId: string;
  rotation: number;
  idempotencyKey: string;
  trigger: "schedule" | "now";
}

/** The state a change was decided on; `updatePost` applies the change only if the record is still in it. */
export interface PostGuard {
  status: PostStatus;
  attempts: number;
  /** Also require the channel's daily posts to be on (a confirmed `/daily off` stops queued retries). */
  channelEnabled?: boolean;
}

export interface DailyStore {
  getSubscription(channel: DailyChannel): Promise<Subscription | undefined>;
  listSubscriptions(): Promise<Subscription[]>;
  /** Inserts the subscription, or replaces the settings of an existing one (never its rotation). */
  saveSubscription(subscription: Subscription): Promise<void>;
  /**
   * Starts the channel's next rotation only if it is still in rotation `from` (compare-and-set),
   * touching nothing else: a `/daily off` saved meanwhile by another process stays. True when moved.
   */
  advanceRotation(
    channel: DailyChannel,
    from: number,
    to: { rotation: number; startedAt: number },
    at: number,
  ): Promise<boolean>;
  /** Inserts the record unless one exists for its channel, day and zone; true when this call created it. */
  claimPost(post: PostRecord): Promise<boolean>;
  getPost(id: PostId): Promise<PostRecord | undefined>;
  /**
   * Replaces the record for the post's channel, day and zone; with a guard, only while the stored
   * record still matches it (compare-and-set). True when the record was written.
   */
  updatePost(post: PostRecord, guard?: PostGuard): Promise<boolean>;
  /** Every record still in status "claimed" (sending or waiting for a retry). */
  listPendingPosts(): Promise<PostRecord[]>;
  /** A channel's records, newest day first. */
  listPosts(channel: DailyChannel, options?: { rotation?: number; limit?: number }): Promise<PostRecord[]>;
  /** Records first-seen times for ids not seen before; existing ones keep theirs. */
  recordPapersSeen(ids: readonly string[], at: number): Promise<void>;
  firstSeen(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export function channelKey(channel: DailyChannel): string {
  return `${channel.platform}:${channel.channelId}`;
}
