/**
 * Ranks papers for meaning slots, like the lexical ranker but with partial credit: a paper's
 * coverage is the share of the question's weight its words answer (a near word answers part of
 * a slot), and only papers covering at least `floor` of it are kept. Postings are read up to a
 * cap per near word (long lists are ordered best first), the best candidates rescored exactly.
 */
import { type IndexData, impactIn, loadPostings, postingDoc, UNSORTED_LIST_MAX } from "../inverted-index.ts";
import type { Scratch } from "../ranker.ts";
import type { MeaningSlot } from "./meaning-query.ts";

const POSTINGS_CAP = 4 * UNSORTED_LIST_MAX;
const RESCORE_MIN = 60;

export interface MeaningRanked {
  doc: number;
  /** 0..1: coverage, each slot's part scaled by how prominent its word is in the paper (BM25 impact). */
  score: number;
  coverage: number;
  /** For each slot answered: the paper's word that answered it. */
  matched: { word: string; term: number }[];
}

const slotValue = (credit: number, impact: number) => credit * (0.6 + (0.4 * impact) / 255);

function exact(index: IndexData, slots: MeaningSlot[], total: number, doc: number): MeaningRanked {
  let score = 0;
  let covered = 0;
  const matched: MeaningRanked["matched"] = [];
  for (const slot of slots) {
    let best = 0;
    let bestCredit = 0;
    let bestTerm = -1;
    for (const near of slot.near) {
      const impact = impactIn(index, doc, near.term);
      if (impact === 0) continue;
      const v = slotValue(near.credit, impact);
      if (v > best) {
        best = v;
        bestCredit = near.credit;
        bestTerm = near.term;
      }
    }
    if (bestTerm >= 0) {
      score += slot.weight * best;
      covered += slot.weight * bestCredit;
      matched.push({ word: slot.word, term: bestTerm });
    }
  }
  return { doc, score: score / total, coverage: covered / total, matched };
}

export function rankByMeaning(
  index: IndexData,
  slots: MeaningSlot[],
  scratch: Scratch,
  limit: number,
  floor: number,
  accept?: (doc: number) => boolean,
): MeaningRanked[] {
  let total = 0;
  for (const slot of slots) total += slot.weight;
  if (total <= 0 || limit <= 0) return [];
  const { score, slotBest, touched, slotTouched } = scratch;
  let touchedCount = 0;
  for (const slot of slots) {
    let slotCount = 0;
    for (const near of slot.near) {
      const start = index.postOffsets[near.term] as number;
      const end = Math.min(index.postOffsets[near.term + 1] as number, start + POSTINGS_CAP);
      loadPostings(index, start, end);
      for (let k = start; k < end; k++) {
        const doc = postingDoc(index.postings[k] as number);
        const v = near.credit;
        const prev = slotBest[doc] as number;
        if (prev === 0) slotTouched[slotCount++] = doc;
        if (v > prev) slotBest[doc] = v;
      }
    }
    for (let i = 0; i < slotCount; i++) {
      const doc = slotTouched[i] as number;
      if (score[doc] === 0) touched[touchedCount++] = doc;
      score[doc] = (score[doc] as number) + slot.weight * (slotBest[doc] as number);
      slotBest[doc] = 0;
    }
  }
  // Partial scores here are coverages: nobody below the floor (less a margin for cut lists) can reach it.
  // Cosine reorders these afterwards: keep more candidates than asked for.
  const keep = Math.max(RESCORE_MIN, limit * 3);
  const minPartial = floor * total * 0.8;
  const heap: { doc: number; s: number }[] = [];
  for (let i = 0; i < touchedCount; i++) {
    const doc = touched[i] as number;
    const s = score[doc] as number;
    score[doc] = 0;
    if (s < minPartial) continue;
    if (accept && !accept(doc)) continue;
    heap.push({ doc, s });
  }
  heap.sort((a, b) => b.s - a.s || a.doc - b.doc);
  const ranked: MeaningRanked[] = [];
  for (const { doc } of heap.slice(0, keep)) {
    const r = exact(index, slots, total, doc);
    if (r.coverage >= floor) ranked.push(r);
  }
  ranked.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return ranked.slice(0, limit);
}
