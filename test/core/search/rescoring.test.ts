import { describe, expect, it } from "vitest";
import { impactIn, UNSORTED_LIST_MAX } from "../../../src/core/search/inverted-index.ts";
import { PaperEngine } from "../../../src/core/search/paper-engine.ts";
import {
  addCorrections,
  createLookup,
  MIN_COVERAGE,
  planQuery,
  rank,
  Scratch,
  type Slot,
} from "../../../src/core/search/ranker.ts";

// "model" is in every document, "common" in 14,000 (both lists cut, with a long rest), "medium"
// in 3,000 (cut at the typo cap only) and "rare" words in a few: every way rank rescores.
const COUNT = 14 * UNSORTED_LIST_MAX;
const texts = Array.from({ length: COUNT }, (_, i) => {
  const words = ["model", "common"];
  if (i % 5 === 0) words.push("medium");
  if (i % 997 === 0) words.push("zygomorphic");
  if (i % 1999 === 0) words.push("zygomorphic", "quasicrystal");
  // Repetition varies the impacts, so the order within a list matters.
  for (let r = 0; r < i % 4; r++) words.push("common");
  if (i % 7 === 0) words.push("mediums");
  return words.join(" ");
});
const engine = PaperEngine.build(
  texts.map((abstract, i) => ({
    id: `d${i}`,
    title: `Paper ${i}`,
    authors: "",
    venue: "",
    categories: "",
    abstract,
  })),
  { problem: "lexical only here" },
);
const { index } = engine.snapshot;
const lookup = createLookup(index);

/** Every document scored through its forward row: what rank must agree with for what it returns. */
function bruteForce(slots: Slot[], limit: number) {
  const totalIdf = slots.reduce((sum, slot) => sum + slot.idf, 0);
  const all = [];
  for (let doc = 0; doc < index.docCount; doc++) {
    let score = 0;
    let covered = 0;
    for (const slot of slots) {
      let best = 0;
      let weight = 0;
      for (const alt of slot.alternatives) {
        const impact = impactIn(index, doc, alt.term);
        const v = impact === 0 ? 0 : alt.weight * (0.6 + (0.4 * impact) / 255);
        if (v > best) [best, weight] = [v, alt.weight];
      }
      score += slot.idf * best;
      covered += slot.idf * weight;
    }
    if (covered / totalIdf >= MIN_COVERAGE)
      all.push({ doc, score: score / totalIdf, coverage: covered / totalIdf });
  }
  all.sort((a, b) => b.score - a.score || b.coverage - a.coverage || a.doc - b.doc);
  return all.slice(0, limit);
}

describe("rescoring candidates", () => {
  it.each([
    "zygomorphic common",
    "quasicrystal model common",
    "zygomorphic medium",
    "medium common",
    "zygomorphc comon",
  ])("ranks %s exactly as scoring every document would", (query) => {
    const slots = planQuery(lookup, query);
    let ranked = rank(index, slots, new Scratch(index.docCount), 10);
    if (!ranked.some((r) => r.coverage >= 0.999) && addCorrections(lookup, slots))
      ranked = rank(index, slots, new Scratch(index.docCount), 10);
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked.map(({ doc, score, coverage }) => ({ doc, score, coverage }))).toEqual(
      bruteForce(slots, 10),
    );
  });
});
