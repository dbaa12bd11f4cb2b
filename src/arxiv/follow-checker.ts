/**
 * The follow job: for each follow whose time has come, ask arXiv for its newest papers (one paced
 * connection for the whole process), keep those that really match and were submitted after the
 * follow began, add them to the corpus, and claim the channel's posts for them (a paper a channel
 * was already given, by this follow or another, or in an earlier version, is never claimed again).
 * A follow's failure is recorded on it and retried with backoff; it never holds up the others.
 */
import type { Logger } from "../core/logger.ts";
import type { BotMetrics } from "../core/metrics.ts";
import type { Clock } from "../daily/clock.ts";
import { describeError } from "../daily/daily-engine.ts";
import type { Follow, FollowStore } from "../store/follow-store.ts";
import type { PaperStore } from "../store/paper-store.ts";
import type { ArxivEntry, ArxivFeed } from "./arxiv-entry.ts";
import { type FollowDeliverer, planDeliveries } from "./follow-delivery.ts";
import { followQuery, matchesFollow, parseFollowFilters } from "./follow-filters.ts";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A check claimed by a process that then died is taken up again after this long. */
const CHECK_LEASE_MS = 15 * MINUTE;

export interface FollowCheckLimits {
  /** Minutes between checks of one follow (FOLLOW_CHECK_MINUTES). */
  checkMinutes: number;
  /** Results asked for per request; more pages only while a page is all new. */
  pageSize: number;
  maxPages: number;
  /** How far before the last good check a catch-up looks (arXiv announces papers days after submission). */
  catchUpMarginMs: number;
  /** Longest wait after failed checks (backoff doubles from 5 minutes). */
  maxBackoffMs: number;
  singlePosts: number;
}

export const DEFAULT_FOLLOW_CHECK_LIMITS: Readonly<FollowCheckLimits> = Object.freeze({
  checkMinutes: 60,
  pageSize: 50,
  maxPages: 4,
  catchUpMarginMs: 14 * DAY,
  maxBackoffMs: 60 * MINUTE,
  singlePosts: 3,
});

export interface ArxivSearch {
  searchNewest(query: string, max: number, options?: { start?: number }): Promise<ArxivFeed>;
}

export interface FollowCheckerDeps {
  follows: FollowStore;
  papers: PaperStore;
  arxiv: ArxivSearch;
  /** Reloads the corpus so new papers are found (and rendered) before they are posted; once a pass. */
  reload: () => Promise<unknown>;
  deliverer: FollowDeliverer;
  /** Platforms that can post now: follows elsewhere wait. */
  canPost: (follow: Follow) => boolean;
  clock: Clock;
  logger: Logger;
  limits: FollowCheckLimits;
  metrics: BotMetrics;
}

/** When the entry's first version was submitted (ms); a date-only value counts from its midnight UTC. */
export function submittedAt(entry: ArxivEntry): number {
  return Date.parse(entry.submitted ?? `${entry.published}T00:00:00Z`);
}

export class FollowChecker {
  constructor(private readonly deps: FollowCheckerDeps) {}

  /**
   * One pass: check every due follow, reload the corpus once if any found papers (so their posts
   * can be rendered), then send whatever is claimed and due.
   */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    let found = false;
    for (const follow of await this.deps.follows.listFollows()) {
      if (follow.nextCheckAt > now || !this.deps.canPost(follow)) continue;
      if (!(await this.deps.follows.claimCheck(follow.id, follow.nextCheckAt, now + CHECK_LEASE_MS)))
        continue;
      if (await this.check(follow)) found = true;
    }
    if (found) await this.deps.reload();
    await this.deps.deliverer.deliverPending();
  }

  /**
   * Checks one follow now, stores what is new and claims its posts; failures are recorded on the
   * follow. True when it stored papers.
   */
  private async check(follow: Follow): Promise<boolean> {
    const { follows, clock, limits, logger } = this.deps;
    const started = clock.now();
    try {
      const fresh = await this.newPapers(follow);
      let claimedPosts = 0;
      if (fresh.length) {
        await this.deps.papers.upsert(fresh, { origin: "follow", by: `follow:${follow.id}`, at: started });
        const ids = fresh.sort((a, b) => submittedAt(a) - submittedAt(b)).map((entry) => entry.id);
        const claimed = await follows.claimDeliveries(follow, ids, (newIds) =>
          planDeliveries(follow, newIds, clock.now(), limits.singlePosts),
        );
        claimedPosts = claimed.length;
        if (claimed.length)
          logger.info("follow: new papers", {
            follow: follow.id,
            channel: `${follow.platform}:${follow.channelId}`,
            posts: claimed.length,
          });
      }
      await follows.saveCheck(follow.id, {
        nextCheckAt: started + limits.checkMinutes * MINUTE,
        lastCheckedAt: started,
        lastSuccessAt: started,
        failures: 0,
      });
      this.deps.metrics.followCheck(claimedPosts > 0 ? "new_papers" : "nothing_new");
      return fresh.length > 0;
    } catch (error) {
      const failures = follow.failures + 1;
      const backoff = Math.min(
        limits.maxBackoffMs,
        limits.checkMinutes * MINUTE,
        5 * MINUTE * 2 ** (failures - 1),
      );
      await follows.saveCheck(follow.id, {
        nextCheckAt: clock.now() + backoff,
        lastCheckedAt: started,
        lastError: describeError(error),
        failures,
      });
      this.deps.metrics.followCheck("failed");
      logger.warn("follow: check failed; will retry", {
        follow: follow.id,
        failures,
        error: describeError(error),
      });
      return false;
    }
  }

  /** The newest matching papers submitted since the follow began, paging back to the last good check. */
  private async newPapers(follow: Follow): Promise<ArxivEntry[]> {
    const { limits } = this.deps;
    const filters = parseFollowFilters(follow.filters);
    const query = followQuery(filters);
    const floor = Math.max(
      follow.createdAt,
      (follow.lastSuccessAt ?? follow.createdAt) - limits.catchUpMarginMs,
    );
    const found = new Map<string, ArxivEntry>();
    for (let page = 0; page < limits.maxPages; page++) {
      const feed = await this.deps.arxiv.searchNewest(query, limits.pageSize, {
        start: page * limits.pageSize,
      });
      for (const entry of feed.entries) {
        if (submittedAt(entry) >= follow.createdAt && matchesFollow(filters, entry))
          found.set(entry.id, entry);
      }
      const oldest = feed.entries.at(-1);
      if (feed.entries.length < limits.pageSize || !oldest || submittedAt(oldest) < floor) break;
    }
    return [...found.values()];
  }
}
