/** `/follow <filters> | list | off <n|all>` for one channel: permission, validation, what to say. */
import type { ControlUser, FollowControl } from "../core/arxiv-control.ts";
import { channelManagers, mayManageChannel } from "../core/command.ts";
import type { DailyChannel } from "../core/daily-control.ts";
import { UserError } from "../core/errors.ts";
import { messageReply, type Reply } from "../core/reply.ts";
import type { Clock } from "../daily/clock.ts";
import { NOT_SCHEDULING } from "../daily/daily-commands.ts";
import { formatDuration } from "../daily/daily-status.ts";
import type { Follow, FollowStore } from "../store/follow-store.ts";
import { NEW_ON_ARXIV } from "./follow-delivery.ts";
import { FOLLOW_HINT, parseFollowFilters } from "./follow-filters.ts";

export const FOLLOW_USAGE = '/follow author:"Name" category:cs.LG words | /follow list | /follow off <n|all>';
/** A channel follows at most this many queries (each costs one arXiv request per check). */
export const MAX_FOLLOWS_PER_CHANNEL = 10;

export interface FollowCommandsDeps {
  store: FollowStore;
  clock: Clock;
  checkMinutes: number;
  slackAnyoneCanManage: boolean;
  /** False where no schedule runs (a piped console): follows are kept but nothing is checked here. */
  scheduling: () => boolean;
  /** Checks a new follow at once (its first check only marks the start: no backlog is posted). */
  checkSoon: (follow: Follow) => void;
}

function ago(now: number, at: number | undefined): string {
  return at === undefined ? "not checked yet" : `checked ${formatDuration(now - at)} ago`;
}

export function createFollowCommands(deps: FollowCommandsDeps): FollowControl {
  const { store, clock } = deps;

  function mustManage(channel: DailyChannel, user: ControlUser): void {
    if (!mayManageChannel(channel.platform, user, deps.slackAnyoneCanManage)) {
      throw new UserError(
        "forbidden",
        `Only ${channelManagers(channel.platform)} can change this channel's follows.`,
        "Anyone can see them with /follow list.",
      );
    }
  }

  async function list(channel: DailyChannel): Promise<Reply> {
    const follows = await store.listFollows(channel);
    if (follows.length === 0)
      return messageReply("This channel follows nothing on arXiv yet.", {
        ephemeral: true,
        hint: `Try ${FOLLOW_HINT}`,
      });
    const now = clock.now();
    const recent = await store.listDeliveries(channel, 50);
    const posted = recent
      .filter((delivery) => delivery.status === "sent")
      .reduce((n, d) => n + d.paperIds.length, 0);
    const lines = follows.map((follow, i) => {
      const state = follow.failures
        ? `check failing (${follow.failures} in a row): ${follow.lastError ?? "unknown error"}`
        : ago(now, follow.lastCheckedAt);
      return `${i + 1}. ${follow.filters} (${state})`;
    });
    const failed = recent.find((delivery) => delivery.status === "failed");
    if (failed) lines.push(`Last failed post: ${failed.lastError ?? "unknown error"}`);
    lines.push(
      `Checked every ${deps.checkMinutes} min; ${posted} new paper${posted === 1 ? "" : "s"} posted here lately.`,
    );
    if (!deps.scheduling()) lines.push(NOT_SCHEDULING);
    return messageReply(`Following on arXiv here:\n${lines.join("\n")}`, { ephemeral: true });
  }

  async function off(channel: DailyChannel, which: string): Promise<Reply> {
    const follows = await store.listFollows(channel);
    if (which.toLowerCase() === "all") {
      for (const follow of follows) await store.removeFollow(follow.id);
      return messageReply(
        follows.length ? `Stopped all ${follows.length} follows here.` : "Nothing was followed here.",
      );
    }
    const n = Number(which);
    const follow = Number.isInteger(n) ? follows[n - 1] : undefined;
    if (!follow) {
      throw new UserError(
        "bad_input",
        follows.length
          ? `There is no follow ${which.slice(0, 20)} here (1 to ${follows.length}).`
          : "Nothing is followed here.",
        "See the numbers with /follow list, then /follow off <n> or /follow off all.",
      );
    }
    await store.removeFollow(follow.id);
    return messageReply(`Stopped following ${follow.filters} here.`);
  }

  async function add(channel: DailyChannel, text: string, user: ControlUser): Promise<Reply> {
    const filters = parseFollowFilters(text);
    const existing = await store.listFollows(channel);
    if (existing.length >= MAX_FOLLOWS_PER_CHANNEL) {
      throw new UserError(
        "bad_input",
        `This channel already has ${existing.length} follows, the most it can have.`,
        "Stop one with /follow off <n> (numbers in /follow list).",
      );
    }
    const now = clock.now();
    const typed = text.trim().replace(/\s+/g, " ");
    const follow = await store.addFollow({
      ...channel,
      filters: typed,
      source: "chat",
      createdBy: user.id,
      createdAt: now,
      nextCheckAt: now,
    });
    if (!follow) return messageReply(`This channel already follows ${typed}.`, { ephemeral: true });
    const lines = [
      `Following ${filters.described.join(", ")} here. New arXiv papers that match are posted in this channel, headed "${NEW_ON_ARXIV}" (checked every ${deps.checkMinutes} min).`,
    ];
    if (deps.scheduling()) deps.checkSoon(follow);
    else lines.push(NOT_SCHEDULING);
    return messageReply(lines.join("\n"));
  }

  return {
    async handle(channel, text, user) {
      const [word = "", ...rest] = text.trim().split(/\s+/);
      const action = word.toLowerCase();
      if (action === "" || action === "list" || action === "status") return list(channel);
      mustManage(channel, user);
      if (action === "off" || action === "stop" || action === "unfollow") {
        if (!rest.length)
          throw new UserError("bad_input", "Which follow should stop?", `Use ${FOLLOW_USAGE}`);
        return off(channel, rest.join(" "));
      }
      return add(channel, text, user);
    },
  };
}
