/**
 * Lexical and meaning results as one list. Scores of both are 0..1 coverages of the question, so
 * they blend directly: a paper's score is its better score plus a share of the other (found both
 * ways counts most), which keeps full word matches on top and lets meaning fill the gaps.
 * A lexical hit holding only part of a question's words ("how do glaciers form?" -> a paper that
 * says "forms") stays only when meaning finds the paper too.
 */
import type { EngineHit } from "../engine.ts";

/** Share of a paper's lesser score added to its better one. */
const AGREEMENT_SHARE = 0.5;
/** A lexical hit holding this share of the question's weight holds all its words. */
const FULL_COVERAGE = 0.999;

export function fuseHits(
  lexical: readonly EngineHit[],
  meaning: readonly EngineHit[],
  limit: number,
): EngineHit[] {
  const byId = new Map<string, { lexical: number; meaning: number; terms: string[]; doc?: number }>();
  const add = (hit: EngineHit, which: "lexical" | "meaning") => {
    const entry = byId.get(hit.id) ?? { lexical: 0, meaning: 0, terms: [], doc: hit.doc };
    entry[which] = Math.max(entry[which], hit.score);
    for (const term of hit.matchedTerms) if (!entry.terms.includes(term)) entry.terms.push(term);
    byId.set(hit.id, entry);
  };
  const confirmed = new Set(meaning.map((hit) => hit.id));
  for (const hit of lexical) {
    if ((hit.coverage ?? 1) >= FULL_COVERAGE || confirmed.has(hit.id)) add(hit, "lexical");
  }
  for (const hit of meaning) add(hit, "meaning");
  const order = new Map<string, number>();
  [...lexical, ...meaning].forEach((hit, i) => {
    if (!byId.has(hit.id)) return;
    if (!order.has(hit.id)) order.set(hit.id, i);
  });
  return [...byId.entries()]
    .map(([id, e]) => {
      const high = Math.max(e.lexical, e.meaning);
      const low = Math.min(e.lexical, e.meaning);
      const score = (high + AGREEMENT_SHARE * low) / (1 + AGREEMENT_SHARE);
      return { id, doc: e.doc, score, matchedTerms: e.terms };
    })
    .sort((a, b) => b.score - a.score || (order.get(a.id) as number) - (order.get(b.id) as number))
    .slice(0, limit);
}
