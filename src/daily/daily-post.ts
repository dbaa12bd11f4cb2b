/** What a daily post looks like, and the keys that identify one. */
import { createHash } from "node:crypto";
import type { DailyChannel } from "../core/daily-control.ts";
import type { Paper } from "../core/paper.ts";
import { paperReply } from "../core/paper-view.ts";
import type { PaperReply } from "../core/reply.ts";
import { channelKey } from "../store/daily-store.ts";
import type { LocalDay } from "./local-time.ts";

export const DAILY_HEADING = "Paper of the day";

/**
 * "pb-20240315-3fa9c1": the same for every attempt at one channel's day, in this process or
 * the next, so the platform (Discord nonce) or `wasPosted` (Slack metadata) can recognise it.
 * The zone is part of it: after a zone change, the same date is another day with another post.
 */
export function idempotencyKey(channel: DailyChannel, day: LocalDay, timeZone: string): string {
  const channelHash = createHash("sha256")
    .update(`${channelKey(channel)}@${timeZone}`)
    .digest("hex")
    .slice(0, 6);
  return `pb-${day.replaceAll("-", "")}-${channelHash}`;
}

/** The same rich rendering as /paper, headed "Paper of the day", with Another / Abstract / BibTeX. */
export function dailyReply(paper: Paper, filters: string): PaperReply {
  const reply = paperReply(paper, { heading: DAILY_HEADING, another: { command: "random", text: filters } });
  if (!reply.actions.some((action) => action.kind === "abstract")) {
    const abstract = {
      kind: "abstract" as const,
      label: "Abstract",
      invoke: { command: "paper", text: paper.id, view: "abstract" as const },
    };
    const bibtexAt = reply.actions.findIndex((action) => action.kind === "bibtex");
    reply.actions.splice(bibtexAt < 0 ? reply.actions.length : bibtexAt, 0, abstract);
  }
  return reply;
}
