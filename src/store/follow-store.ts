/**
 * Follows (a channel's standing arXiv query) and the posts they make. Exactly once rests on two
 * atomic operations: `claimDeliveries` records, in one transaction, which papers a channel has
 * been given and the posts that carry them; `updateDelivery` with a guard lets one attempt at a
 * time work on a post, as for daily posts.
 */

import type { Platform } from "../core/command.ts";
import type { DailyChannel } from "../core/daily-control.ts";
import type { PostGuard, SendState } from "./daily-store.ts";

export interface Follow {
  id: number;
  platform: Platform;
  channelId: string;
  /** As typed: `author:"Thomas Hofmann" category:cs.LG diffusion`. */
  filters: string;
  /** "chat", or "env:<entry>" for one seeded from FOLLOW_CHANNELS. */
  source: string;
  createdBy?: string;
  /** Only papers submitted at or after this instant are new to the follow: no backlog flood. */
  createdAt: number;
  nextCheckAt: number;
  lastCheckedAt?: number;
  lastSuccessAt?: number;
  lastError?: string;
  /** Checks failed in a row. */
  failures: number;
}

export type NewFollow = Omit<Follow, "id" | "failures" | "lastCheckedAt" | "lastSuccessAt" | "lastError">;

export interface FollowCheckState {
  nextCheckAt: number;
  lastCheckedAt: number;
  lastSuccessAt?: number;
  lastError?: string;
  failures: number;
}

/** One message to a channel: a single paper, or a digest listing several. */
export interface FollowDelivery extends SendState {
  key: string;
  platform: Platform;
  channelId: string;
  kind: "paper" | "digest";
  paperIds: string[];
}

export interface FollowStore {
  /** Adds a follow; undefined when the channel already follows exactly these filters. */
  addFollow(follow: NewFollow): Promise<Follow | undefined>;
  /** Every follow, or one channel's, oldest first. */
  listFollows(channel?: DailyChannel): Promise<Follow[]>;
  removeFollow(id: number): Promise<boolean>;
  /**
   * Takes the follow's check for this process: moves its next check to `until` only if it is
   * still `expected` (so of several processes one asks arXiv; a crashed one's claim runs out).
   */
  claimCheck(id: number, expected: number, until: number): Promise<boolean>;
  saveCheck(id: number, state: FollowCheckState): Promise<void>;
  /**
   * In one transaction: marks as given to the channel those of `paperIds` it has not had yet, and
   * inserts the deliveries `plan` makes of them (a pure function of the fresh ids). Returns them.
   */
  claimDeliveries(
    channel: DailyChannel,
    paperIds: readonly string[],
    plan: (fresh: string[]) => FollowDelivery[],
  ): Promise<FollowDelivery[]>;
  getDelivery(key: string): Promise<FollowDelivery | undefined>;
  listPendingDeliveries(): Promise<FollowDelivery[]>;
  /** Replaces the delivery; with a guard, only while the stored one still matches it. */
  updateDelivery(delivery: FollowDelivery, guard?: Omit<PostGuard, "channelEnabled">): Promise<boolean>;
  /** The channel's deliveries, newest first (for `/follow list`). */
  listDeliveries(channel: DailyChannel, limit: number): Promise<FollowDelivery[]>;
}
