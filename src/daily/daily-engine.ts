/**
 * The part of daily posts that must never post twice or miss a day:
 * 1. claim: a channel's local day is claimed in the store (atomic insert) before anything is sent,
 *    with the paper chosen and an idempotency key fixed for every later attempt;
 * 2. deliver: a claimed post is sent with that key; an attempt starts with a guarded write of the
 *    record as it was just read (so of several processes, ticks or `/daily now`, one attempt wins,
 *    and none after a confirmed `/daily off`), so after a crash or timeout the next attempt first
 *    asks the platform `wasPosted`. The engine owns every retry: platform clients never resend a post;
 * 3. failures retry with backoff a bounded number of times, and never past the end of the post's
 *    local day; then the day is recorded as failed.
 * Every tick re-reads the store, so a restart catches up on a day whose time has passed.
 */
import type { Platform } from "../core/command.ts";
import type { ChannelPoster, DailyChannel } from "../core/daily-control.ts";
import type { Logger } from "../core/logger.ts";
import { type BotMetrics, NO_METRICS } from "../core/metrics.ts";
import type { PaperIndex } from "../core/paper-index.ts";
import {
  channelKey,
  type DailyStore,
  type PostGuard,
  type PostId,
  type PostRecord,
  type Subscription,
} from "../store/daily-store.ts";
import { type Clock, waitAtMost } from "./clock.ts";
import { dailyReply, idempotencyKey } from "./daily-post.ts";
import { whileLeased } from "./lease.ts";
import { daySpan, type LocalDay, localDay, minutesOfDay, scheduledInstant } from "./local-time.ts";
import { paperPool } from "./paper-pool.ts";
import { pickNextPaper } from "./rotation.ts";

export interface DeliveryLimits {
  /** Sends (or wasPosted checks) per post before the day is recorded as failed. */
  maxAttempts: number;
  /** Wait after attempt n (1-based) before attempt n+1; the last value repeats. */
  retryDelaysMs: readonly number[];
  /** How long a tick waits for one send; a slower send keeps going but no longer holds up the tick. */
  sendTimeoutMs: number;
  /** A post not confirmed this long after its claim is given up (a stale paper is worse than none). */
  maxPendingMs: number;
  /** How long an attempt in flight holds its post from other processes; renewed while the send runs. */
  leaseMs: number;
  /** Channels sent to at the same time. */
  concurrency: number;
}

export const DEFAULT_DELIVERY_LIMITS: Readonly<DeliveryLimits> = Object.freeze({
  maxAttempts: 5,
  retryDelaysMs: Object.freeze([60_000, 2 * 60_000, 5 * 60_000, 15 * 60_000]),
  sendTimeoutMs: 30_000,
  maxPendingMs: 6 * 60 * 60_000,
  leaseMs: 60_000,
  concurrency: 8,
});

const MAX_ERROR_LENGTH = 300;
/** Records read to find the one holding today: a few zone changes in one day stay within it. */
const RECENT_POSTS = 8;
const DAY_ENDED = "The day ended before it could be posted.";
const TURNED_OFF = "Daily posts were turned off before it was sent.";

export interface EngineDeps {
  store: DailyStore;
  posters: Map<Platform, ChannelPoster>;
  getPapers: () => PaperIndex;
  clock: Clock;
  logger: Logger;
  limits: DeliveryLimits;
  metrics?: BotMetrics;
}

function postKey(post: PostId): string {
  return `${post.platform}:${post.channelId}:${post.day}@${post.timeZone}`;
}

export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, " ").slice(0, MAX_ERROR_LENGTH) || "unknown error";
}

/** A rate limit says how long to wait: `retryAfterMs`, or Slack's `retryAfter` in seconds. */
function retryAfterMs(error: unknown): number {
  if (typeof error !== "object" || error === null) return 0;
  const fields = error as { retryAfterMs?: unknown; retryAfter?: unknown };
  if (typeof fields.retryAfterMs === "number") return fields.retryAfterMs;
  if (typeof fields.retryAfter === "number") return fields.retryAfter * 1000;
  return 0;
}

/** The scheduled instant of the channel's current local day, and that day. */
export function todaysSlot(subscription: Subscription, now: number): { day: LocalDay; at: number } {
  const day = localDay(now, subscription.timeZone);
  return { day, at: scheduledInstant(day, minutesOfDay(subscription.time), subscription.timeZone) };
}

/** A day is owed a post once its time has come, if the schedule was already on at that time. */
export function isDue(subscription: Subscription, now: number): LocalDay | undefined {
  if (!subscription.enabled) return undefined;
  const { day, at } = todaysSlot(subscription, now);
  return now >= at && at >= subscription.activeFrom ? day : undefined;
}

/**
 * A record holds a local day when it is that day's (same date and zone) or it was claimed within
 * the day's span (its post goes out that same day in its own zone): after a zone change no local
 * day gets two posts, and a day that another zone's post did not touch is still owed one.
 */
export function holdsDay(post: PostRecord, day: LocalDay, timeZone: string): boolean {
  if (post.day === day && post.timeZone === timeZone) return true;
  const { start, end } = daySpan(day, timeZone);
  return post.claimedAt >= start && post.claimedAt < end;
}

/** Why a post may no longer be sent: its local day is over, or it waited too long since its claim. */
function lateReason(
  post: PostRecord,
  now: number,
  dayEnd: number,
  limits: DeliveryLimits,
): string | undefined {
  if (now >= dayEnd) return DAY_ENDED;
  if (now - post.claimedAt > limits.maxPendingMs) return "Not sent in time.";
  return undefined;
}

export class DailyEngine {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private seenIndex: PaperIndex | undefined;

  private readonly metrics: BotMetrics;

  constructor(readonly deps: EngineDeps) {
    this.metrics = deps.metrics ?? NO_METRICS;
  }

  /** Runs `work` after any other work on the same channel (commands and claims never interleave). */
  withChannelLock<T>(channel: DailyChannel, work: () => Promise<T>): Promise<T> {
    const key = channelKey(channel);
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return next;
  }

  /** One pass: claim every channel's due day, then send what is claimed and due. */
  async tick(): Promise<void> {
    const { store, logger, clock } = this.deps;
    const now = clock.now();
    await this.noteSeenPapers(now);
    for (const subscription of await store.listSubscriptions()) {
      if (!subscription.enabled || !this.deps.posters.has(subscription.platform)) continue;
      try {
        await this.withChannelLock(subscription, async () => {
          const current = await store.getSubscription(subscription);
          const day = current && isDue(current, now);
          if (current && day && !(await this.todaysPost(current, now)))
            await this.claim(current, day, "schedule");
        });
      } catch (error) {
        logger.error(`daily: could not claim ${channelKey(subscription)}`, error);
      }
    }
    await this.deliverPending();
  }

  /** The record that already holds the channel's current local day, if any. */
  async todaysPost(subscription: Subscription, now: number): Promise<PostRecord | undefined> {
    const { day } = todaysSlot(subscription, now);
    const recent = await this.deps.store.listPosts(subscription, { limit: RECENT_POSTS });
    return recent.find((post) => holdsDay(post, day, subscription.timeZone));
  }

  /** Sends every claimed post whose attempt time has come, a few channels at a time. */
  async deliverPending(): Promise<void> {
    const now = this.deps.clock.now();
    const due = (await this.deps.store.listPendingPosts()).filter(
      (post) => post.nextAttemptAt <= now && !this.inFlight.has(postKey(post)),
    );
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const post = due[next++] as PostRecord;
        await this.deliver(post);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.limits.concurrency, due.length) }, worker));
  }

  /** Waits (up to `timeoutMs`) for sends still running, e.g. before shutdown. */
  async settle(timeoutMs: number): Promise<void> {
    await waitAtMost(this.deps.clock, Promise.allSettled([...this.inFlight.values()]), timeoutMs);
  }

  /**
   * Claims `day` for the channel: picks the paper and inserts the record unless one exists.
   * Returns the day's record (this claim's, or the one already there).
   */
  async claim(
    subscription: Subscription,
    day: LocalDay,
    trigger: PostRecord["trigger"],
  ): Promise<PostRecord> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const record: PostRecord = {
      platform: subscription.platform,
      channelId: subscription.channelId,
      day,
      timeZone: subscription.timeZone,
      paperId: "",
      rotation: subscription.rotation,
      idempotencyKey: idempotencyKey(subscription, day, subscription.timeZone),
      status: "claimed",
      attempts: 0,
      nextAttemptAt: now,
      claimedAt: now,
      trigger,
    };
    const paperId = await this.choosePaper(subscription, now);
    if (paperId) {
      record.paperId = paperId.paperId;
      record.rotation = paperId.rotation;
    } else {
      record.status = "failed";
      record.lastError = "No paper matches this channel's filters.";
    }
    const won = await store.claimPost(record);
    if (won) {
      this.deps.logger.info("daily: claimed", {
        channel: channelKey(subscription),
        day,
        paper: record.paperId,
        trigger,
      });
      return record;
    }
    return (await store.getPost(record)) ?? record;
  }

  /** Makes a failed day claimable again (for `/daily now`), re-choosing the paper if it had none. */
  async reopen(subscription: Subscription, post: PostRecord): Promise<PostRecord> {
    const now = this.deps.clock.now();
    const reopened: PostRecord = {
      ...post,
      status: "claimed",
      // Keep one attempt on record when one was made: the next round then asks wasPosted before sending.
      attempts: Math.min(post.attempts, 1),
      nextAttemptAt: now,
      claimedAt: now,
      trigger: "now",
    };
    if (!reopened.paperId || !this.deps.getPapers().get(reopened.paperId)) {
      const choice = await this.choosePaper(subscription, now);
      if (!choice) return post;
      reopened.paperId = choice.paperId;
      reopened.rotation = choice.rotation;
      reopened.attempts = 0;
    }
    const written = await this.deps.store.updatePost(reopened, { status: "failed", attempts: post.attempts });
    return written ? reopened : ((await this.deps.store.getPost(post)) ?? post);
  }

  /**
   * Sends one claimed post (or learns it was already sent) if its attempt time has come, or at
   * once with `force` (`/daily now`); waits at most the send timeout.
   */
  async deliver(id: PostId, options: { force?: boolean } = {}): Promise<void> {
    const key = postKey(id);
    if (this.inFlight.has(key))
      return waitAtMost(
        this.deps.clock,
        this.inFlight.get(key) as Promise<void>,
        this.deps.limits.sendTimeoutMs,
      );
    const work = this.attempt(id, options.force === true)
      .catch((error) => this.deps.logger.error(`daily: delivery to ${key} failed`, error))
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    await waitAtMost(this.deps.clock, work, this.deps.limits.sendTimeoutMs);
  }

  private async attempt(id: PostId, force: boolean): Promise<void> {
    const { store, clock, limits, logger } = this.deps;
    // Read afresh: the copy a tick listed may be stale (another attempt or /daily now ran since).
    const post = await store.getPost(id);
    const now = clock.now();
    if (post?.status !== "claimed" || (!force && post.nextAttemptAt > now)) return;
    const poster = this.deps.posters.get(post.platform);
    if (!poster) return; // stays claimed; sent once that platform's adapter is running again
    const guard: PostGuard = { status: "claimed", attempts: post.attempts };
    const earlierAttempt = post.attempts > 0;
    const dayEnd = daySpan(post.day, post.timeZone).end;
    const tooLate = lateReason(post, now, dayEnd, limits);
    if (tooLate) {
      const confirmed =
        earlierAttempt && (await poster.wasPosted(post.channelId, post.idempotencyKey).catch(() => false));
      if (confirmed) return this.markSent(post, undefined);
      const lastError = post.lastError ? `${tooLate} Last error: ${post.lastError}` : tooLate;
      if (await store.updatePost({ ...post, status: "failed", lastError }, guard)) {
        this.metrics.dailyPost("failed");
        logger.warn("daily: gave up on a post", { channel: postKey(post), lastError });
      }
      return;
    }
    const paper = this.deps.getPapers().get(post.paperId);
    const subscription = await store.getSubscription(post);
    const current: PostRecord = { ...post, attempts: post.attempts + 1, nextAttemptAt: now + limits.leaseMs };
    const held = { status: "claimed" as const, attempts: current.attempts };
    // Recorded before sending: if the process dies mid-send, the next attempt asks wasPosted first.
    // Guarded: only one attempt starts from this state, and none once the channel's posts are off.
    if (!(await store.updatePost(current, { ...guard, channelEnabled: true }))) {
      if (!subscription?.enabled)
        await store.updatePost({ ...post, status: "failed", lastError: TURNED_OFF }, guard);
      return;
    }
    const renew = (until: number) => store.updatePost({ ...current, nextAttemptAt: until }, held);
    try {
      await whileLeased(clock, limits.leaseMs, renew, async () => {
        if (earlierAttempt && (await poster.wasPosted(post.channelId, post.idempotencyKey))) {
          return this.markSent(current, undefined);
        }
        if (!paper) throw new Error(`Paper ${post.paperId || "(none)"} is no longer in the corpus.`);
        const reply = dailyReply(paper, subscription?.filters ?? "");
        const result = await poster.post(post.channelId, reply, { idempotencyKey: post.idempotencyKey });
        await this.markSent(current, result.messageId);
      });
    } catch (error) {
      const nextAttemptAt = Math.max(
        now + this.retryDelay(current.attempts),
        clock.now() + retryAfterMs(error),
      );
      // A day's retries end with that local day: yesterday's paper is never posted today.
      const failed = current.attempts >= limits.maxAttempts || nextAttemptAt >= dayEnd;
      await store.updatePost(
        {
          ...current,
          status: failed ? "failed" : "claimed",
          nextAttemptAt,
          lastError: describeError(error),
        },
        held,
      );
      const detail = { channel: postKey(post), attempt: current.attempts, error: describeError(error) };
      this.metrics.dailyPost(failed ? "failed" : "retry");
      if (failed) logger.error("daily: post failed for good", detail);
      else logger.warn("daily: post failed; will retry", detail);
    }
  }

  private async markSent(post: PostRecord, messageId: string | undefined): Promise<void> {
    const sent: PostRecord = { ...post, status: "sent", sentAt: this.deps.clock.now() };
    delete sent.lastError;
    if (messageId !== undefined) sent.messageId = messageId;
    await this.deps.store.updatePost(sent);
    this.metrics.dailyPost("sent");
    this.deps.logger.info("daily: posted", { channel: postKey(post), paper: post.paperId });
  }

  private retryDelay(attempt: number): number {
    const delays = this.deps.limits.retryDelaysMs;
    return delays[Math.min(attempt, delays.length) - 1] ?? 60_000;
  }

  private async choosePaper(
    subscription: Subscription,
    now: number,
    retried = false,
  ): Promise<{ paperId: string; rotation: number } | undefined> {
    const { store } = this.deps;
    const papers = this.deps.getPapers();
    let pool: string[];
    try {
      pool = paperPool(papers, subscription.filters).map((paper) => paper.id);
    } catch (error) {
      this.deps.logger.warn("daily: filters unreadable", {
        channel: channelKey(subscription),
        error: describeError(error),
      });
      pool = [];
    }
    const isLive = (post: PostRecord) => post.status !== "failed" && post.paperId !== "";
    const inRotation = (await store.listPosts(subscription, { rotation: subscription.rotation })).filter(
      isLive,
    );
    const recent = (await store.listPosts(subscription, { limit: 5 })).filter(isLive);
    const pick = pickNextPaper({
      pool,
      posted: new Set(inRotation.map((post) => post.paperId)),
      firstSeen: await store.firstSeen(),
      state: { rotation: subscription.rotation, startedAt: subscription.rotationStartedAt },
      seed: subscription.seed,
      lastPosted: recent[0]?.paperId,
      now,
    });
    if (!pick) return undefined;
    if (pick.state.rotation !== subscription.rotation) {
      const moved = await store.advanceRotation(subscription, subscription.rotation, pick.state, now);
      // Another process started the rotation first: choose again from what it saved.
      const current = moved ? undefined : await store.getSubscription(subscription);
      if (current && !retried) return this.choosePaper(current, now, true);
      subscription.rotation = pick.state.rotation;
      subscription.rotationStartedAt = pick.state.startedAt;
    }
    return { paperId: pick.paperId, rotation: pick.state.rotation };
  }

  /** First-seen times drive "new papers first"; recorded whenever the corpus object changes. */
  private async noteSeenPapers(now: number): Promise<void> {
    const papers = this.deps.getPapers();
    if (papers === this.seenIndex) return;
    await this.deps.store.recordPapersSeen(
      papers.all().map((paper) => paper.id),
      now,
    );
    this.seenIndex = papers;
  }

  async ensureSeen(): Promise<void> {
    await this.noteSeenPapers(this.deps.clock.now());
  }
}
