/**
 * The papers a channel's filters admit: the same grammar and matching as /random (PaperIndex),
 * so the Another button shows the same kind of paper as the daily post.
 */
import { cleanInput } from "../core/input.ts";
import type { Paper } from "../core/paper.ts";
import type { PaperIndex } from "../core/paper-index.ts";
import { matchesFilters, parseQuery } from "../core/search/query.ts";

/** Throws UserError when the filter text cannot be read (e.g. year:20x). */
export function checkFilters(filters: string): void {
  parseQuery(cleanInput(filters));
}

export function paperPool(papers: PaperIndex, filters: string): readonly Paper[] {
  const cleaned = cleanInput(filters);
  if (!cleaned) return papers.all();
  const parsed = parseQuery(cleaned);
  // Filters alone select exactly; PaperIndex.filter ranks (and caps) when there are topic words.
  if (!parsed.text) return papers.all().filter((paper) => matchesFilters(paper, parsed.filters));
  return papers.filter(cleaned);
}
