/**
 * Builds an arXiv search_query for a follow. A follow means what the same filters mean in /search:
 * every author, every category and every word, so all terms are AND'ed (single terms only, so
 * arXiv's own operator precedence never matters). URL encoding is the client's job.
 */
export interface ArxivQueryFilters {
  authors: string[];
  categories: string[];
  words: string[];
}

export function arxivQueryFor(filters: ArxivQueryFilters): string {
  const terms = [
    ...filters.authors.map((author) => term("au", author)),
    ...filters.categories.map((category) => term("cat", category)),
    ...filters.words.map((word) => term("all", word)),
  ].filter((value): value is string => value !== undefined);
  if (terms.length === 0) throw new RangeError("arxivQueryFor needs at least one author, category or word");
  return [...new Set(terms)].join(" AND ");
}

/**
 * `au:"Gregor Bachmann"` matches the name as printed on papers; arXiv treats a quoted name, spaces and
 * `del_maestro`-style underscores alike. Words and phrases are searched in every field (`all:`).
 */
function term(field: "au" | "cat" | "all", value: string): string | undefined {
  // A stray quote or parenthesis would end the phrase or group early; arXiv ignores such punctuation anyway.
  const cleaned = value.replace(/["()]/g, " ").replace(/\s+/g, " ").trim();
  if (cleaned === "") return undefined;
  return /[\s:]/.test(cleaned) ? `${field}:"${cleaned}"` : `${field}:${cleaned}`;
}
