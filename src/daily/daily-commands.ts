/** `/daily on|off|status|now` for one channel: permission, settings, and what to tell the channel. */
import { createHash } from "node:crypto";
import { channelManagers, mayManageChannel, type Platform } from "../core/command.ts";
import type { DailyChannel } from "../core/daily-control.ts";
import { UserError } from "../core/errors.ts";
import { messageReply, type Reply } from "../core/reply.ts";
import { channelKey, type PostRecord, type Subscription } from "../store/daily-store.ts";
import type { DailyConfig } from "./daily-config.ts";
import { type DailyEngine, holdsDay, todaysSlot } from "./daily-engine.ts";
import { dailyReply } from "./daily-post.ts";
import { describeFilters, describePost, describeSchedule, describeWhen, nextPostAt } from "./daily-status.ts";
import { paperPool } from "./paper-pool.ts";
import { parseScheduleSettings } from "./schedule-settings.ts";

export const DAILY_USAGE = "/daily on [HH:MM] [timezone] [filters] | off | status | now";
const ON_HINT =
  "Turn it on with /daily on [HH:MM] [timezone] [filters], e.g. /daily on 08:30 Europe/Zurich year:2023";
/** `/daily on ... all` clears the filters (settings left out otherwise stay as they were). */
const CLEAR_FILTERS = "all";

const SUBCOMMANDS: Record<string, "on" | "off" | "status" | "now"> = {
  on: "on",
  start: "on",
  enable: "on",
  subscribe: "on",
  off: "off",
  stop: "off",
  disable: "off",
  unsubscribe: "off",
  status: "status",
  "": "status",
  now: "now",
};

export interface DailyUser {
  id: string;
  canManageChannel?: boolean;
}

export function mayChangeSchedule(platform: Platform, user: DailyUser, config: DailyConfig): boolean {
  return mayManageChannel(platform, user, config.slackAnyoneCanManage);
}

/** The seed of a channel's shuffled order: fixed per channel, so re-subscribing keeps the same order. */
export function channelSeed(channel: DailyChannel): string {
  return createHash("sha256")
    .update(`daily:${channelKey(channel)}`)
    .digest("hex")
    .slice(0, 16);
}

export function newSubscription(channel: DailyChannel, now: number, config: DailyConfig): Subscription {
  return {
    platform: channel.platform,
    channelId: channel.channelId,
    enabled: true,
    time: config.defaultTime,
    timeZone: config.defaultTimeZone,
    filters: "",
    activeFrom: now,
    seed: channelSeed(channel),
    rotation: 0,
    rotationStartedAt: now,
    source: "chat",
    createdAt: now,
    updatedAt: now,
  };
}

/** Said where no schedule runs (a piped console reads its lines and exits). */
export const NOT_SCHEDULING =
  "Note: posts are made only while the bot runs on a platform or in an interactive console; this session runs no schedule.";

export class DailyCommands {
  constructor(
    private readonly engine: DailyEngine,
    private readonly config: DailyConfig,
    /** False where no schedule runs: no "next post" is promised there. */
    private readonly scheduling: () => boolean = () => true,
  ) {}

  async handle(channel: DailyChannel, text: string, user: DailyUser): Promise<Reply> {
    const [word = "", ...rest] = text.trim().split(/\s+/);
    const action = SUBCOMMANDS[word.toLowerCase()];
    if (!action) {
      throw new UserError(
        "bad_input",
        `"${word.slice(0, 32)}" is not a daily sub-command.`,
        `Use ${DAILY_USAGE}`,
      );
    }
    if (action === "status") return this.status(channel);
    if (!mayChangeSchedule(channel.platform, user, this.config)) {
      throw new UserError(
        "forbidden",
        `Only ${channelManagers(channel.platform)} can change this channel's daily paper.`,
        "Anyone can see it with /daily status.",
      );
    }
    if (action === "on") return this.on(channel, rest.join(" "), user);
    if (action === "off") return this.off(channel, user);
    return this.now(channel);
  }

  private async on(channel: DailyChannel, text: string, user: DailyUser): Promise<Reply> {
    const settings = parseScheduleSettings(text);
    const { store, clock, getPapers, posters } = this.engine.deps;
    const subscription = await this.engine.withChannelLock(channel, async () => {
      const now = clock.now();
      const existing = await store.getSubscription(channel);
      const next: Subscription = existing ? { ...existing } : newSubscription(channel, now, this.config);
      next.enabled = true;
      next.time = settings.time ?? next.time;
      next.timeZone = settings.timeZone ?? next.timeZone;
      if (settings.filters.toLowerCase() === CLEAR_FILTERS) next.filters = "";
      else if (settings.filters) next.filters = settings.filters;
      next.activeFrom = now;
      next.updatedBy = user.id;
      next.updatedAt = now;
      if (paperPool(getPapers(), next.filters).length === 0) {
        throw new UserError(
          "not_found",
          `No paper matches the filters "${next.filters}".`,
          "Try fewer or other filters, e.g. /daily on 09:00 year:2023 (or /daily on all for every paper).",
        );
      }
      await this.engine.ensureSeen();
      await store.saveSubscription(next);
      return next;
    });
    const now = clock.now();
    const pool = paperPool(getPapers(), subscription.filters).length;
    const today = await this.engine.todaysPost(subscription, now);
    const lines = [
      `Daily paper on: ${describeSchedule(subscription, now)}, ${describeFilters(subscription.filters, pool)}.`,
      this.scheduling()
        ? `Next post: ${describeWhen(nextPostAt(subscription, now, today !== undefined), subscription.timeZone, now)}.`
        : NOT_SCHEDULING,
    ];
    if (!posters.has(channel.platform))
      lines.push("Note: posting to this platform is not running right now.");
    return messageReply(lines.join("\n"));
  }

  private async off(channel: DailyChannel, user: DailyUser): Promise<Reply> {
    const { store, clock } = this.engine.deps;
    const wasOn = await this.engine.withChannelLock(channel, async () => {
      const existing = await store.getSubscription(channel);
      if (!existing?.enabled) return false;
      await store.saveSubscription({
        ...existing,
        enabled: false,
        updatedBy: user.id,
        updatedAt: clock.now(),
      });
      return true;
    });
    return wasOn
      ? messageReply(
          "Daily paper off for this channel. /daily on brings it back where the rotation left off.",
        )
      : messageReply("The daily paper was not on here.", { ephemeral: true, hint: ON_HINT });
  }

  private async status(channel: DailyChannel): Promise<Reply> {
    const { store, clock, getPapers, limits } = this.engine.deps;
    const now = clock.now();
    const subscription = await store.getSubscription(channel);
    if (!subscription?.enabled) {
      return messageReply("The daily paper is off here.", { ephemeral: true, hint: ON_HINT });
    }
    const papers = getPapers();
    const pool = paperPool(papers, subscription.filters);
    const { day } = todaysSlot(subscription, now);
    const history = await store.listPosts(channel, { limit: 30 });
    const today = history.find((post) => holdsDay(post, day, subscription.timeZone));
    const title = (post: PostRecord) => papers.get(post.paperId)?.title;
    const inRotation = new Set(
      history
        .concat(await store.listPosts(channel, { rotation: subscription.rotation }))
        .filter((post) => post.rotation === subscription.rotation && post.status !== "failed" && post.paperId)
        .map((post) => post.paperId),
    );
    const covered = pool.filter((paper) => inRotation.has(paper.id)).length;
    const lines = [
      `Daily paper: on, ${describeSchedule(subscription, now)}, ${describeFilters(subscription.filters, pool.length)}.`,
      `Today (${day}): ${today ? describePost(today, title(today), limits.maxAttempts) : "not posted yet."}`,
      `Next post: ${describeWhen(nextPostAt(subscription, now, today !== undefined), subscription.timeZone, now)}.`,
      `Rotation ${subscription.rotation + 1}: ${covered} of ${pool.length} papers posted.`,
    ];
    const failure = history.find((post) => post.status === "failed" && post.day !== day);
    if (failure) lines.push(`Last failure (${failure.day}): ${failure.lastError ?? "unknown error"}`);
    if (!this.engine.deps.posters.has(channel.platform))
      lines.push("Note: posting to this platform is not running right now.");
    return messageReply(lines.join("\n"), { ephemeral: true });
  }

  private async now(channel: DailyChannel): Promise<Reply> {
    const { store, clock, getPapers, posters, limits } = this.engine.deps;
    const claimed = await this.engine.withChannelLock(channel, async () => {
      const subscription = await store.getSubscription(channel);
      if (!subscription?.enabled) throw new UserError("bad_input", "The daily paper is off here.", ON_HINT);
      await this.engine.ensureSeen();
      const now = clock.now();
      const existing = await this.engine.todaysPost(subscription, now);
      const { day } = todaysSlot(subscription, now);
      if (!existing) return { subscription, post: await this.engine.claim(subscription, day, "now") };
      if (existing.status === "failed")
        return { subscription, post: await this.engine.reopen(subscription, existing) };
      return { subscription, post: existing, already: true };
    });
    const { subscription } = claimed;
    let post = claimed.post;
    const title = () => getPapers().get(post.paperId)?.title;
    if (claimed.already && post.status === "sent") {
      return messageReply(
        `Today's paper is already here: ${describePost(post, title(), limits.maxAttempts)}`,
        {
          ephemeral: true,
        },
      );
    }
    if (post.status === "failed") {
      return messageReply(`Today's paper ${describePost(post, title(), limits.maxAttempts)}`, {
        tone: "error",
        ephemeral: true,
      });
    }
    const paper = getPapers().get(post.paperId);
    if (!posters.has(channel.platform) && paper && post.attempts === 0) {
      // No way to post outside a reply here (e.g. the console without a poster): the reply is the post.
      const sent = { ...post, status: "sent" as const, attempts: 1, sentAt: clock.now(), messageId: "reply" };
      if (await store.updatePost(sent, { status: "claimed", attempts: 0 }))
        return dailyReply(paper, subscription.filters);
    }
    await this.engine.deliver(post, { force: true });
    post = (await store.getPost(post)) ?? post;
    if (post.status === "sent") {
      return messageReply(`Today's paper is posted: “${title() ?? post.paperId}” (${post.paperId}).`, {
        ephemeral: true,
      });
    }
    return messageReply(`Today's paper: ${describePost(post, title(), limits.maxAttempts)}`, {
      tone: post.status === "failed" ? "error" : "info",
      ephemeral: true,
      hint: post.status === "claimed" ? "It will be retried; /daily status shows how it went." : undefined,
    });
  }
}
