/**
 * `/add`: fetches papers from the arXiv API (one request for all ids) and keeps them for good in
 * the paper store, then reloads the corpus so `/search` and `/paper` find them at once. A failure
 * anywhere before the store write changes nothing.
 */
import type { ControlUser, LibraryControl } from "../core/arxiv-control.ts";
import { channelManagers, mayManageChannel } from "../core/command.ts";
import type { DailyChannel } from "../core/daily-control.ts";
import { UserError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { PaperIndex } from "../core/paper-index.ts";
import { paperReply } from "../core/paper-view.ts";
import { messageReply, type Reply } from "../core/reply.ts";
import type { PaperStore, UpsertOutcome } from "../store/paper-store.ts";
import type { ArxivEntry } from "./arxiv-entry.ts";
import { upstreamError } from "./upstream-error.ts";

/** How long one `/add` may wait for arXiv, retries included (Discord and Slack replies were deferred). */
export const ADD_DEADLINE_MS = 60_000;

export interface ArxivLookup {
  getByIds(ids: readonly string[], options?: { deadlineMs?: number }): Promise<ArxivEntry[]>;
}

export interface LibraryDeps {
  arxiv: ArxivLookup;
  papers: PaperStore;
  getPapers: () => PaperIndex;
  /** Reloads the corpus (data files plus stored papers); resolves once the new one serves. */
  reload: () => Promise<unknown>;
  now: () => number;
  logger: Logger;
  slackAnyoneCanManage: boolean;
}

const HEADINGS: Record<UpsertOutcome, string> = {
  added: "Added to the library",
  updated: "Already in the library: metadata refreshed",
  unchanged: "Already in the library",
};

function describe(entry: ArxivEntry, outcome: UpsertOutcome, known: boolean): string {
  const what = `“${entry.title}” (${entry.id}v${entry.version})`;
  if (outcome === "added" && !known) return `Added ${what}.`;
  if (outcome === "unchanged") return `Already here: ${what}.`;
  return `Already here, metadata refreshed: ${what}.`;
}

export function createLibrary(deps: LibraryDeps): LibraryControl {
  return {
    async add(channel: DailyChannel, ids: readonly string[], user: ControlUser): Promise<Reply> {
      if (!mayManageChannel(channel.platform, user, deps.slackAnyoneCanManage)) {
        throw new UserError(
          "forbidden",
          `Only ${channelManagers(channel.platform)} can add papers.`,
          "Anyone can find papers with /search.",
        );
      }
      let entries: ArxivEntry[];
      try {
        entries = await deps.arxiv.getByIds(ids, { deadlineMs: ADD_DEADLINE_MS });
      } catch (error) {
        throw upstreamError(error);
      }
      // One entry per id, the newest version should a mirror answer with several.
      const found = ids.flatMap((id) => {
        const versions = entries.filter((entry) => entry.id === id);
        return versions.length ? [versions.reduce((a, b) => (b.version > a.version ? b : a))] : [];
      });
      const missing = ids.filter((id) => !found.some((entry) => entry.id === id));
      if (found.length === 0) {
        throw new UserError(
          "not_found",
          ids.length === 1 ? `arXiv has no paper ${ids[0]}.` : `arXiv has none of ${ids.join(", ")}.`,
          "Check the id: /add 2305.09088, or paste the arXiv link.",
        );
      }
      const before = deps.getPapers();
      const outcomes = await deps.papers.upsert(found, {
        origin: "add",
        by: `${channel.platform}:${user.id}`,
        at: deps.now(),
      });
      await deps.reload();
      deps.logger.info("arxiv: added", {
        ids: found.map((entry) => entry.id),
        outcomes,
        by: channel.platform,
      });
      const papers = deps.getPapers();
      const paper = papers.get(found[0]?.id ?? "");
      if (found.length === 1 && missing.length === 0 && paper) {
        const outcome = outcomes[0] ?? "unchanged";
        const known = before.get(paper.id) !== undefined;
        const reply = paperReply(paper, {
          heading: known && outcome === "added" ? HEADINGS.updated : HEADINGS[outcome],
        });
        reply.added = !known;
        return reply;
      }
      const lines = found.map((entry, i) =>
        describe(entry, outcomes[i] ?? "unchanged", before.get(entry.id) !== undefined),
      );
      if (missing.length) lines.push(`arXiv has no paper ${missing.join(", ")}.`);
      return messageReply(lines.join("\n"));
    },
  };
}
