/**
 * Builds an arXiv search_query for a follow. A follow with two authors means papers by either, with two
 * categories papers in either, and every word must appear: authors OR'ed, categories OR'ed, words
 * AND'ed, the groups AND'ed. Every group is parenthesised or a single term, so arXiv's own operator
 * precedence never matters. URL encoding is the client's job.
 */
export interface ArxivQueryFilters {
  authors: string[];
  categories: string[];
  words: string[];
}

export function arxivQueryFor(filters: ArxivQueryFilters): string {
  const groups = [
    anyOf(filters.authors.map((author) => term("au", author))),
    anyOf(filters.categories.map((category) => term("cat", category))),
    ...filters.words.map((word) => term("all", word)),
  ].filter((group): group is string => group !== undefined);
  if (groups.length === 0) throw new RangeError("arxivQueryFor needs at least one author, category or word");
  return groups.join(" AND ");
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

function anyOf(terms: (string | undefined)[]): string | undefined {
  const present = [...new Set(terms.filter((value): value is string => value !== undefined))];
  if (present.length <= 1) return present[0];
  return `(${present.join(" OR ")})`;
}
