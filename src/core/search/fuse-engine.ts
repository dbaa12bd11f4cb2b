/** Plain Fuse.js over every field: the simple engine, and the baseline the benchmark compares against. */
import Fuse from "fuse.js";
import type { SearchEngine, SearchEngineFactory } from "./engine.ts";

const MIN_SCORE = 0.4;

export const createFuseEngine: SearchEngineFactory = (source): SearchEngine => {
  const fuse = new Fuse(source.documents(), {
    keys: [
      { name: "title", weight: 3 },
      { name: "authors", weight: 2 },
      { name: "venue", weight: 1 },
      { name: "categories", weight: 1 },
      { name: "abstract", weight: 1 },
    ],
    includeScore: true,
    includeMatches: true,
    ignoreLocation: true,
    ignoreDiacritics: true,
    ignoreFieldNorm: true,
    threshold: 0.35,
    useExtendedSearch: false,
  });
  return {
    search(text, { limit, accept }) {
      const terms = text.toLowerCase().split(/\s+/).filter(Boolean);
      return fuse
        .search(text)
        .filter((hit) => !accept || accept(hit.item.id))
        .map((hit) => ({ id: hit.item.id, score: 1 - (hit.score ?? 1), matchedTerms: terms }))
        .filter((hit) => hit.score >= MIN_SCORE)
        .slice(0, limit);
    },
  };
};
