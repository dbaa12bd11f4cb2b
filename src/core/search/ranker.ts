/**
 * Query planning and ranking over an `IndexData`.
 *
 * A query becomes slots, one per content word; each slot has alternatives (the word itself,
 * weaker synonyms, weaker typo corrections). A document's score is
 *   sum over slots of idf(slot) * weight(best alternative present) * (0.6 + 0.4 * impact)
 *   / sum over slots of idf(slot)
 * so it lies in 0..1, means the same thing for every query ("how much of what you asked for is
 * here, and how prominently"), and a document covering less than half of the query's weight
 * is not an answer at all: a query about nothing in the corpus returns nothing.
 *
 * Work: typo corrections are only looked for when no document holds every query word (so exact
 * queries never pay for them); each alternative's postings are read up to a cap, best impact
 * first; the best candidates are then rescored exactly through the forward index.
 */

import {
  docFrequency,
  type IndexData,
  impactIn,
  loadPostings,
  postingDoc,
  postingImpact,
  UNSORTED_LIST_MAX,
} from "./inverted-index.ts";
import { foldedWords, QUERY_FILLER, STOPWORDS, stem, surfaceOf } from "./normalize.ts";
import { synonymsOf } from "./synonyms.ts";
import { TermLookup } from "./term-table.ts";
import { MIN_TYPO_LENGTH, typoCandidates } from "./typo.ts";

/**
 * Postings read per alternative; long lists are impact-ordered, so these are its best documents.
 * Never below UNSORTED_LIST_MAX: shorter lists are kept in document order and must be read whole.
 */
const POSTINGS_CAP = 4 * UNSORTED_LIST_MAX;
const TYPO_POSTINGS_CAP = UNSORTED_LIST_MAX;
const MAX_TYPO_ALTERNATIVES = 12;
const SYNONYM_WEIGHT = 0.8;
/** A correction when the word itself is unknown / when it exists but led nowhere. */
const TYPO_WEIGHT = 0.8;
const TYPO_WEIGHT_KNOWN = 0.5;
/** Share of the query's weight a document must hold to count as an answer: more than half. */
export const MIN_COVERAGE = 0.55;
/** An unknown word (no alternative at all) weighs as half a rare word: questions carry stray words. */
const UNKNOWN_SLOT_FACTOR = 0.5;
const RESCORE_MIN = 60;
const MAX_QUERY_WORDS = 32;

export interface Alternative {
  term: number;
  weight: number;
  /** The vocabulary word this alternative stands for, reported for highlighting. */
  surface: string;
  cap: number;
}

export interface Slot {
  word: string;
  idf: number;
  alternatives: Alternative[];
  /** Whether typo alternatives were already added. */
  corrected: boolean;
}

export interface RankedDoc {
  doc: number;
  score: number;
  coverage: number;
  matched: string[];
}

/** Lookups on the index's arrays. */
export interface IndexLookup {
  index: IndexData;
  termId: TermLookup;
}

export function createLookup(index: IndexData): IndexLookup {
  return { index, termId: new TermLookup(index.terms, index.termTable) };
}

function idf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

/** Content words of a query: stopwords out, question filler out when anything else is left. */
export function queryWords(text: string): string[] {
  const words = foldedWords(text).filter((w) => !STOPWORDS.has(w));
  const content = words.filter((w) => !QUERY_FILLER.has(w));
  const chosen = content.length > 0 ? content : words;
  return [...new Set(chosen)].slice(0, MAX_QUERY_WORDS);
}

export function planQuery(lookup: IndexLookup, text: string): Slot[] {
  const { index } = lookup;
  const slots: Slot[] = [];
  const seenTerms = new Set<number>();
  for (const word of queryWords(text)) {
    const surface = surfaceOf(word);
    const alternatives: Alternative[] = [];
    const add = (term: number | undefined, weight: number, shown: string, cap: number) => {
      if (term === undefined || alternatives.some((a) => a.term === term)) return;
      alternatives.push({ term, weight, surface: shown, cap });
    };
    const exact = lookup.termId.get(stem(surface));
    if (exact !== undefined && seenTerms.has(exact)) continue; // "network networks"
    // Highlighting gets words as people wrote them (snippets compare them as terms anyway).
    add(exact, 1, word, POSTINGS_CAP);
    // The map holds base forms: "photos" finds photo's synonyms through its stem.
    for (const synonym of new Set([
      ...synonymsOf(surface),
      ...synonymsOf(word),
      ...synonymsOf(stem(surface)),
    ])) {
      add(lookup.termId.get(stem(surfaceOf(synonym))), SYNONYM_WEIGHT, synonym, POSTINGS_CAP);
    }
    const n = index.docCount;
    const slotIdf =
      exact !== undefined ? idf(n, docFrequency(index, exact)) : UNKNOWN_SLOT_FACTOR * idf(n, 1);
    if (exact !== undefined) seenTerms.add(exact);
    slots.push({ word: surface, idf: slotIdf, alternatives, corrected: false });
  }
  return slots;
}

/** Add typo corrections to every slot (second pass, when the literal query found no full match). */
export function addCorrections(lookup: IndexLookup, slots: Slot[]): boolean {
  const { index } = lookup;
  let added = false;
  for (const slot of slots) {
    if (slot.corrected || slot.word.length < MIN_TYPO_LENGTH - 1) continue;
    slot.corrected = true;
    const known = slot.alternatives.length > 0 && slot.alternatives[0]?.weight === 1;
    const weight = known ? TYPO_WEIGHT_KNOWN : TYPO_WEIGHT;
    index.pager.load(index.typoTable);
    index.pager.load(index.typoStarts);
    const { surfaces, typoTable, typoStarts } = index;
    for (const id of typoCandidates(slot.word, surfaces, typoTable, typoStarts, MAX_TYPO_ALTERNATIVES)) {
      const term = index.surfaceTerm[id] as number;
      if (slot.alternatives.some((a) => a.term === term)) continue;
      slot.alternatives.push({
        term,
        weight,
        surface: index.surfaces.at(id) as string,
        cap: TYPO_POSTINGS_CAP,
      });
      added = true;
    }
    if (!known && slot.alternatives.length > 0) {
      // The word was a typo: weigh the slot like the word it most likely meant (the rarest fit).
      let best = 0;
      for (const a of slot.alternatives)
        best = Math.max(best, idf(index.docCount, docFrequency(index, a.term)));
      slot.idf = best;
    }
  }
  return added;
}

/** Reusable per-engine buffers so a query allocates nothing proportional to the corpus. */
export class Scratch {
  readonly score: Float32Array;
  readonly slotBest: Float32Array;
  readonly touched: Int32Array;
  readonly slotTouched: Int32Array;
  /** 1 + place among the candidates being rescored (see scoreCandidates), else 0. */
  readonly candidatePlace: Int32Array;
  /** Per candidate and slot: the best value and which alternative gave it (grown as needed). */
  candidateBest = new Float64Array(1024);
  candidateChoice = new Int32Array(1024);

  constructor(docCount: number) {
    this.score = new Float32Array(docCount);
    this.slotBest = new Float32Array(docCount);
    this.touched = new Int32Array(docCount);
    this.slotTouched = new Int32Array(docCount);
    this.candidatePlace = new Int32Array(docCount);
  }
}

function slotValue(weight: number, impact: number): number {
  return weight * (0.6 + (0.4 * impact) / 255);
}

/**
 * A document's score, coverage and matched words from the best value and alternative of each slot
 * (-1: none), read from `best` and `choice` at `at + slot`.
 */
function scored(
  slots: Slot[],
  totalIdf: number,
  doc: number,
  best: ArrayLike<number>,
  choice: ArrayLike<number>,
  at = 0,
): RankedDoc {
  let score = 0;
  let covered = 0;
  const matched: string[] = [];
  slots.forEach((slot, s) => {
    const alt = slot.alternatives[choice[at + s] as number];
    if (!alt) return;
    score += slot.idf * (best[at + s] as number);
    covered += slot.idf * alt.weight;
    matched.push(alt.surface);
  });
  return { doc, score: score / totalIdf, coverage: covered / totalIdf, matched };
}

/** The postings an alternative reads: its list, cut after `cap` entries. */
function postingsRange(index: IndexData, alt: Alternative): { start: number; end: number; listEnd: number } {
  const start = index.postOffsets[alt.term] as number;
  const listEnd = index.postOffsets[alt.term + 1] as number;
  return { start, end: Math.min(listEnd, start + alt.cap), listEnd };
}

/**
 * Rescoring reads the rest of a cut list rather than each candidate's forward row when the rest
 * is at most this long: a few blocks in one read against one block per candidate, and as quick
 * to scan as 60 rows once in memory.
 */
const TAIL_SCAN_MAX = 8 * UNSORTED_LIST_MAX;

/**
 * The candidates' exact scores: each alternative's contribution is looked up in the part of its
 * posting list rank read (in memory already); the rest of a cut list is read only for candidates
 * it could still change, through their forward rows when that rest is long. Only those above the
 * coverage floor are returned.
 */
function scoreCandidates(
  index: IndexData,
  slots: Slot[],
  totalIdf: number,
  docs: readonly number[],
  scratch: Scratch,
): RankedDoc[] {
  const { candidatePlace } = scratch;
  docs.forEach((doc, i) => {
    candidatePlace[doc] = i + 1;
  });
  // Slot s of docs[i] at i * slots.length + s; reused, so a query allocates no typed array.
  const cells = docs.length * slots.length;
  if (scratch.candidateBest.length < cells) {
    scratch.candidateBest = new Float64Array(cells);
    scratch.candidateChoice = new Int32Array(cells);
  }
  const best = scratch.candidateBest.fill(0, 0, cells);
  const choice = scratch.candidateChoice.fill(-1, 0, cells);
  // The best alternative per slot; on equal values the earlier one (as reading them in order would).
  const offer = (i: number, s: number, a: number, weight: number, impact: number) => {
    const at = i * slots.length + s;
    const v = slotValue(weight, impact);
    const held = best[at] as number;
    if (v > held || (v === held && a < (choice[at] as number))) {
      best[at] = v;
      choice[at] = a;
    }
  };
  const scan = (s: number, a: number, alt: Alternative, from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const posting = index.postings[k] as number;
      const place = candidatePlace[postingDoc(posting)] as number;
      if (place > 0) offer(place - 1, s, a, alt.weight, postingImpact(posting));
    }
  };
  slots.forEach((slot, s) => {
    const cut: [alt: Alternative, a: number, end: number, listEnd: number][] = [];
    slot.alternatives.forEach((alt, a) => {
      const { start, end, listEnd } = postingsRange(index, alt);
      scan(s, a, alt, start, end);
      if (end < listEnd) cut.push([alt, a, end, listEnd]);
    });
    for (const [alt, a, end, listEnd] of cut) {
      // The rest of a list is ordered by impact: none of it beats the last entry read.
      const bound = slotValue(alt.weight, postingImpact(index.postings[end - 1] as number));
      const needing = docs.flatMap((_, i) => {
        const at = i * slots.length + s;
        const held = best[at] as number;
        return held < bound || (held === bound && a < (choice[at] as number)) ? [i] : [];
      });
      if (needing.length === 0) continue;
      if (listEnd - end <= TAIL_SCAN_MAX) {
        loadPostings(index, end, listEnd);
        scan(s, a, alt, end, listEnd);
      } else {
        for (const i of needing) {
          const impact = impactIn(index, docs[i] as number, alt.term);
          if (impact > 0) offer(i, s, a, alt.weight, impact);
        }
      }
    }
  });
  for (const doc of docs) candidatePlace[doc] = 0;
  // Those above the coverage floor, in a list made by pushing: `map` and `filter` hand their lists
  // over with shapes that sent the optimised caller back to the interpreter on most queries.
  const answers: RankedDoc[] = [];
  for (let i = 0; i < docs.length; i++) {
    const ranked = scored(slots, totalIdf, docs[i] as number, best, choice, i * slots.length);
    if (ranked.coverage >= MIN_COVERAGE) answers.push(ranked);
  }
  return answers;
}

/**
 * Rank documents for planned slots. `accept` filters documents before they take a place in the
 * candidate list. Returns documents above the coverage floor, best first, at most `limit`.
 */
export function rank(
  index: IndexData,
  slots: Slot[],
  scratch: Scratch,
  limit: number,
  accept?: (doc: number) => boolean,
): RankedDoc[] {
  let totalIdf = 0;
  for (const slot of slots) totalIdf += slot.idf;
  if (totalIdf <= 0 || limit <= 0) return [];
  const { score, slotBest, touched, slotTouched } = scratch;
  let touchedCount = 0;
  for (const slot of slots) {
    let slotCount = 0;
    for (const alt of slot.alternatives) {
      const { start, end } = postingsRange(index, alt);
      loadPostings(index, start, end);
      for (let k = start; k < end; k++) {
        const posting = index.postings[k] as number;
        const doc = postingDoc(posting);
        const v = slotValue(alt.weight, postingImpact(posting));
        const prev = slotBest[doc] as number;
        if (prev === 0) slotTouched[slotCount++] = doc;
        if (v > prev) slotBest[doc] = v;
      }
    }
    for (let i = 0; i < slotCount; i++) {
      const doc = slotTouched[i] as number;
      if (score[doc] === 0) touched[touchedCount++] = doc;
      score[doc] = (score[doc] as number) + slot.idf * (slotBest[doc] as number);
      slotBest[doc] = 0;
    }
  }
  // Keep the best candidates by partial score (a small min-heap), then rescore them exactly.
  const keep = Math.max(RESCORE_MIN, limit * 3);
  const heapDocs: number[] = [];
  const heapScores: number[] = [];
  const minPartial = MIN_COVERAGE * 0.6 * totalIdf * 0.999;
  for (let i = 0; i < touchedCount; i++) {
    const doc = touched[i] as number;
    const s = score[doc] as number;
    score[doc] = 0;
    // A slot's value is at most 1 and at least 0.6 * weight: below this nobody reaches the floor
    // unless a cut-off posting list hides a contribution, which rescoring would not add much to.
    if (s < minPartial * 0.5) continue;
    if (accept && !accept(doc)) continue;
    heapPush(heapDocs, heapScores, doc, s, keep);
  }
  // Rescored exactly (a cut-off list may hide a contribution).
  const ranked = scoreCandidates(index, slots, totalIdf, heapDocs, scratch);
  ranked.sort((a, b) => b.score - a.score || b.coverage - a.coverage || a.doc - b.doc);
  return ranked.slice(0, limit);
}

/** Bounded min-heap on score: keeps the `capacity` highest. */
function heapPush(docs: number[], scores: number[], doc: number, s: number, capacity: number): void {
  if (docs.length < capacity) {
    docs.push(doc);
    scores.push(s);
    let i = docs.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((scores[parent] as number) <= s) break;
      docs[i] = docs[parent] as number;
      scores[i] = scores[parent] as number;
      i = parent;
    }
    docs[i] = doc;
    scores[i] = s;
    return;
  }
  if (s <= (scores[0] as number)) return;
  let i = 0;
  const n = docs.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && (scores[r] as number) < (scores[l] as number) ? r : l;
    if ((scores[c] as number) >= s) break;
    docs[i] = docs[c] as number;
    scores[i] = scores[c] as number;
    i = c;
  }
  docs[i] = doc;
  scores[i] = s;
}

/** True when some ranked document holds every slot at full weight (no need to look for typos). */
export function hasFullMatch(ranked: RankedDoc[]): boolean {
  return ranked.some((r) => r.coverage >= 0.999);
}
