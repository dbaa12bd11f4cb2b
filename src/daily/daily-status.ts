/** Plain-text descriptions of a channel's schedule and its posts, for `/daily` replies. */

import type { PostRecord, Subscription } from "../store/daily-store.ts";
import { todaysSlot } from "./daily-engine.ts";
import { addDays, formatOffset, minutesOfDay, scheduledInstant, utcOffsetMs } from "./local-time.ts";

const WEEKDAY = new Map<string, Intl.DateTimeFormat>();

function weekdayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = WEEKDAY.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    WEEKDAY.set(timeZone, format);
  }
  return format;
}

/** "in 3 h 20 min", "in 45 min", "in 2 days". */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

/** The next scheduled post at or after `now` (today's if its time has not come, else tomorrow's). */
export function nextPostAt(subscription: Subscription, now: number, todayTaken: boolean): number {
  const { day, at } = todaysSlot(subscription, now);
  if (now < at && at >= subscription.activeFrom && !todayTaken) return at;
  return scheduledInstant(addDays(day, 1), minutesOfDay(subscription.time), subscription.timeZone);
}

export function describeWhen(instant: number, timeZone: string, now: number): string {
  return `${weekdayFormat(timeZone).format(instant).replace(",", "")} (in ${formatDuration(instant - now)})`;
}

export function describeSchedule(subscription: Subscription, now: number): string {
  const offset = formatOffset(utcOffsetMs(now, subscription.timeZone));
  const zone = subscription.timeZone === "UTC" ? "UTC" : `${subscription.timeZone} (${offset} now)`;
  return `every day at ${subscription.time} ${zone}`;
}

export function describeFilters(filters: string, poolSize: number): string {
  const papers = `${poolSize} paper${poolSize === 1 ? "" : "s"}`;
  return filters ? `filters: ${filters} (${papers})` : `no filters (all ${papers})`;
}

export function describePost(post: PostRecord, title: string | undefined, maxAttempts: number): string {
  const paper = post.paperId ? `“${title ?? post.paperId}” (${post.paperId})` : "no paper";
  switch (post.status) {
    case "sent":
      return `posted ${paper}.`;
    case "claimed":
      return post.attempts === 0
        ? `posting ${paper} now.`
        : `posting ${paper}: attempt ${post.attempts} of ${maxAttempts}${post.lastError ? `, last error: ${post.lastError}` : ""}.`;
    default:
      return `failed${post.paperId ? ` to post ${paper}` : ""}: ${post.lastError ?? "unknown error"}`;
  }
}
