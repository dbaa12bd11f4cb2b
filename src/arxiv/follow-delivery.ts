/**
 * Posts what follows found, exactly once, the way daily posts are sent: each post is claimed in
 * the store before anything is sent (with the papers it carries), each attempt starts with a
 * guarded write of the record as just read, retries ask the platform `wasPosted` first, and the
 * platform clients never resend on their own.
 */
import { createHash } from "node:crypto";
import type { Platform } from "../core/command.ts";
import type { ChannelPoster, DailyChannel } from "../core/daily-control.ts";
import type { Logger } from "../core/logger.ts";
import type { BotMetrics } from "../core/metrics.ts";
import type { Paper } from "../core/paper.ts";
import type { PaperIndex } from "../core/paper-index.ts";
import { displayTitle, paperReply } from "../core/paper-view.ts";
import { messageReply, type Reply } from "../core/reply.ts";
import { truncate } from "../core/text.ts";
import { type Clock, waitAtMost } from "../daily/clock.ts";
import { describeError } from "../daily/daily-engine.ts";
import { whileLeased } from "../daily/lease.ts";
import type { FollowDelivery, FollowStore } from "../store/follow-store.ts";

export const NEW_ON_ARXIV = "New on arXiv";

export interface FollowDeliveryLimits {
  /** New papers posted one message each; the rest of a batch go into one digest message. */
  singlePosts: number;
  /** Papers named in a digest before "and N more". */
  digestLines: number;
  maxAttempts: number;
  retryDelaysMs: readonly number[];
  /** A post not confirmed this long after its claim is given up (old news is worse than none). */
  maxPendingMs: number;
  /** How long an attempt in flight holds its post from other processes; renewed while the send runs. */
  leaseMs: number;
  /** How long a tick waits for one send before moving on (the send itself keeps going). */
  sendTimeoutMs: number;
}

export const DEFAULT_FOLLOW_DELIVERY_LIMITS: Readonly<FollowDeliveryLimits> = Object.freeze({
  singlePosts: 3,
  digestLines: 15,
  maxAttempts: 5,
  retryDelaysMs: Object.freeze([60_000, 2 * 60_000, 5 * 60_000, 15 * 60_000]),
  maxPendingMs: 24 * 60 * 60_000,
  leaseMs: 60_000,
  sendTimeoutMs: 30_000,
});

const DIGEST_TITLE_LENGTH = 110;

export interface FollowDeliveryDeps {
  store: FollowStore;
  posters: Map<Platform, ChannelPoster>;
  getPapers: () => PaperIndex;
  clock: Clock;
  logger: Logger;
  limits: FollowDeliveryLimits;
  metrics: BotMetrics;
}

/** "nf-" and 22 characters: within Discord's 25-character nonce, the same in every process. */
function deliveryKey(channel: DailyChannel, paperIds: readonly string[]): string {
  const digest = createHash("sha256")
    .update(`${channel.platform}:${channel.channelId}|${paperIds.join(",")}`)
    .digest("base64url");
  return `nf-${digest.slice(0, 22)}`;
}

/** One post per paper up to the cap, then one digest with the rest: what `claimDeliveries` inserts. */
export function planDeliveries(
  channel: DailyChannel,
  paperIds: string[],
  now: number,
  singlePosts: number,
): FollowDelivery[] {
  const base = { ...channel, status: "claimed" as const, attempts: 0, nextAttemptAt: now, claimedAt: now };
  const singles = paperIds.slice(0, singlePosts).map((id) => ({
    ...base,
    key: deliveryKey(channel, [id]),
    kind: "paper" as const,
    paperIds: [id],
  }));
  const rest = paperIds.slice(singlePosts);
  if (rest.length === 0) return singles;
  return [...singles, { ...base, key: deliveryKey(channel, rest), kind: "digest", paperIds: rest }];
}

export function digestReply(papers: readonly Paper[], missing: number, maxLines: number): Reply {
  const total = papers.length + missing;
  const lines = papers
    .slice(0, maxLines)
    .map(
      (paper) =>
        `• ${truncate(displayTitle(paper), DIGEST_TITLE_LENGTH)} (${paper.id}) https://arxiv.org/abs/${paper.id}`,
    );
  const more = total - lines.length;
  if (more > 0) lines.push(`…and ${more} more: /search finds them all.`);
  return messageReply(
    `${NEW_ON_ARXIV}: ${total} more papers for this channel's follows\n${lines.join("\n")}`,
  );
}

export class FollowDeliverer {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly deps: FollowDeliveryDeps) {}

  /** Sends every claimed post whose attempt time has come, one channel's posts in order. */
  async deliverPending(): Promise<void> {
    const now = this.deps.clock.now();
    const due = (await this.deps.store.listPendingDeliveries()).filter(
      (delivery) => delivery.nextAttemptAt <= now && !this.inFlight.has(delivery.key),
    );
    for (const delivery of due) await this.deliver(delivery.key);
  }

  async settle(timeoutMs: number): Promise<void> {
    await waitAtMost(this.deps.clock, Promise.allSettled([...this.inFlight.values()]), timeoutMs);
  }

  private async deliver(key: string): Promise<void> {
    if (this.inFlight.has(key)) return;
    const work = this.attempt(key)
      .catch((error) => this.deps.logger.error(`follow: delivery ${key} failed`, error))
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    await waitAtMost(this.deps.clock, work, this.deps.limits.sendTimeoutMs);
  }

  private async attempt(key: string): Promise<void> {
    const { store, clock, limits, logger } = this.deps;
    // Read afresh: another process or an earlier tick may have sent it since it was listed.
    const delivery = await store.getDelivery(key);
    const now = clock.now();
    if (delivery?.status !== "claimed" || delivery.nextAttemptAt > now) return;
    const poster = this.deps.posters.get(delivery.platform);
    if (!poster) return; // stays claimed until that platform's adapter runs again
    const guard = { status: "claimed" as const, attempts: delivery.attempts };
    const earlierAttempt = delivery.attempts > 0;
    if (now - delivery.claimedAt > limits.maxPendingMs) {
      const confirmed =
        earlierAttempt && (await poster.wasPosted(delivery.channelId, key).catch(() => false));
      const lastError = `Not sent in time.${delivery.lastError ? ` Last error: ${delivery.lastError}` : ""}`;
      await store.updateDelivery(
        confirmed
          ? { ...delivery, status: "sent", sentAt: now }
          : { ...delivery, status: "failed", lastError },
        guard,
      );
      this.deps.metrics.followPost(confirmed ? "sent" : "failed");
      return;
    }
    const current: FollowDelivery = {
      ...delivery,
      attempts: delivery.attempts + 1,
      nextAttemptAt: now + limits.leaseMs,
    };
    // Recorded before sending, and guarded: one attempt at a time, across processes.
    if (!(await store.updateDelivery(current, guard))) return;
    const after = { status: "claimed" as const, attempts: current.attempts };
    const renew = (until: number) => store.updateDelivery({ ...current, nextAttemptAt: until }, after);
    try {
      const messageId = await whileLeased(clock, limits.leaseMs, renew, async () => {
        if (earlierAttempt && (await poster.wasPosted(delivery.channelId, key))) return undefined;
        return (await poster.post(delivery.channelId, this.render(delivery), { idempotencyKey: key }))
          .messageId;
      });
      const sent: FollowDelivery = { ...current, status: "sent", sentAt: clock.now() };
      delete sent.lastError;
      if (messageId !== undefined) sent.messageId = messageId;
      await store.updateDelivery(sent);
      this.deps.metrics.followPost("sent");
      logger.info("follow: posted", {
        channel: `${delivery.platform}:${delivery.channelId}`,
        papers: delivery.paperIds,
      });
    } catch (error) {
      const failed = current.attempts >= limits.maxAttempts;
      const waitFor = (error as { retryAfterMs?: number }).retryAfterMs ?? 0;
      await store.updateDelivery(
        {
          ...current,
          status: failed ? "failed" : "claimed",
          nextAttemptAt: Math.max(now + this.retryDelay(current.attempts), clock.now() + waitFor),
          lastError: describeError(error),
        },
        after,
      );
      const detail = {
        channel: `${delivery.platform}:${delivery.channelId}`,
        attempt: current.attempts,
        error: describeError(error),
      };
      this.deps.metrics.followPost(failed ? "failed" : "retry");
      if (failed) logger.error("follow: post failed for good", detail);
      else logger.warn("follow: post failed; will retry", detail);
    }
  }

  private render(delivery: FollowDelivery): Reply {
    const papers = this.deps.getPapers();
    const found = delivery.paperIds.flatMap((id) => papers.get(id) ?? []);
    if (delivery.kind === "paper" && found[0]) return paperReply(found[0], { heading: NEW_ON_ARXIV });
    if (found.length === 0)
      throw new Error(`Papers ${delivery.paperIds.join(", ")} are not in the corpus yet.`);
    return digestReply(found, delivery.paperIds.length - found.length, this.deps.limits.digestLines);
  }

  private retryDelay(attempt: number): number {
    const delays = this.deps.limits.retryDelaysMs;
    return delays[Math.min(attempt, delays.length) - 1] ?? 60_000;
  }
}
