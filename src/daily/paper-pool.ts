/**
 * The papers a channel's filters admit: the same grammar and matching as /random (PaperIndex),
 * so the Another button shows the same kind of paper as the daily post.
 */
import { cleanInput } from "../core/input.ts";
import type { Paper } from "../core/paper.ts";
import type { PaperIndex } from "../core/paper-index.ts";
import { parseQuery } from "../core/search/query.ts";

/** Throws UserError when the filter text cannot be read (e.g. year:20x). */
export function checkFilters(filters: string): void {
  parseQuery(cleanInput(filters));
}

export function paperPool(papers: PaperIndex, filters: string): readonly Paper[] {
  return papers.filter(filters);
}
