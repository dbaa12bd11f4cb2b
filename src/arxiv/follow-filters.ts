/**
 * What a follow asks for: `author:"Thomas Hofmann"`, `category:cs.LG` and topic words, all of
 * which a paper must satisfy (as in /search). arXiv's own search is loose (`au:` matches surnames),
 * so its results are checked here again before anything is posted.
 */
import { UserError } from "../core/errors.ts";
import { cleanInput } from "../core/input.ts";
import type { Paper } from "../core/paper.ts";
import { matchesFilters, parseQuery, type QueryFilters } from "../core/search/query.ts";
import { foldText } from "../core/text.ts";
import type { ArxivEntry } from "./arxiv-entry.ts";
import { arxivQueryFor } from "./arxiv-query.ts";

export const FOLLOW_HINT = 'e.g. /follow author:"Thomas Hofmann", /follow category:cs.LG diffusion';

export interface FollowFilters {
  filters: QueryFilters;
  /** Topic words, folded. */
  words: string[];
  /** For replies: `author: Thomas Hofmann`, `diffusion`. */
  described: string[];
}

/** Throws UserError for text a follow cannot use (nothing to follow, or filters arXiv cannot check). */
export function parseFollowFilters(text: string): FollowFilters {
  const parsed = parseQuery(cleanInput(text, "follow"));
  const { filters } = parsed;
  if (filters.venues.length || filters.yearFrom !== undefined || filters.before || filters.after) {
    throw new UserError(
      "bad_input",
      "A follow takes author:, category: and topic words (new papers have no venue or past year yet).",
      FOLLOW_HINT,
    );
  }
  const words = foldText(parsed.text)
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((word) => word.length > 1);
  if (!filters.authors.length && !filters.categories.length && !words.length)
    throw new UserError("bad_input", "What should I follow?", FOLLOW_HINT);
  return { filters, words, described: [...parsed.described, ...words] };
}

/**
 * The arXiv search_query: every filter ANDed, as in /search. arXiv's matching is loose, so results are
 * checked with `matchesFollow` before use. A bare archive (`category:cs`) asks for all its categories.
 */
export function followQuery({ filters, words }: FollowFilters): string {
  return arxivQueryFor({
    authors: filters.authors,
    categories: filters.categories.map((category) => (category.includes(".") ? category : `${category}.*`)),
    words,
  });
}

/** True when the entry satisfies every filter: full author names, categories, and each word as a word start. */
export function matchesFollow(follow: FollowFilters, entry: ArxivEntry): boolean {
  const asPaper = { authors: entry.authors, categories: entry.categories } as Pick<
    Paper,
    "authors" | "categories"
  >;
  if (!matchesFilters(asPaper as Paper, follow.filters)) return false;
  const text = ` ${foldText(`${entry.title} ${entry.abstract}`).replace(/[^\p{L}\p{N}-]+/gu, " ")}`;
  return follow.words.every((word) => text.includes(` ${word}`));
}
