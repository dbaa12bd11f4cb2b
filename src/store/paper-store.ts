/**
 * Papers fetched from arXiv (`/add`, follows), kept for good beside the data files: the corpus is
 * the data files plus these, so an added paper survives restarts and reaches every process.
 */
import type { ArxivEntry } from "../arxiv/arxiv-entry.ts";

export type PaperOrigin = "add" | "follow";

export interface StoredPaper {
  entry: ArxivEntry;
  origin: PaperOrigin;
  addedBy?: string;
  addedAt: number;
  updatedAt: number;
}

/** What an upsert did: a new paper, a known one whose metadata changed (or a newer version), or nothing. */
export type UpsertOutcome = "added" | "updated" | "unchanged";

export interface PaperStore {
  /**
   * Adds each paper, or refreshes a known one's metadata (the newest version's text wins), all in
   * one transaction: a failure changes nothing. One outcome per entry, in order.
   */
  upsert(
    entries: readonly ArxivEntry[],
    meta: { origin: PaperOrigin; by?: string; at: number },
  ): Promise<UpsertOutcome[]>;
  get(id: string): Promise<StoredPaper | undefined>;
  list(): Promise<StoredPaper[]>;
  /** Changes whenever a paper is added or updated: other processes compare it to learn of changes. */
  changeMark(): Promise<string>;
}
