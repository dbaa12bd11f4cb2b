/**
 * Search by meaning over one index: papers whose words answer most of a question's words, by the
 * words themselves or by words near them in meaning, ordered with the paper vectors' cosine; the
 * sentence of an abstract that answers a question best; and the papers nearest a paper.
 */
import { DecodedRow, type IndexData } from "../inverted-index.ts";
import { foldedWords, STOPWORDS, stem, surfaceOf } from "../normalize.ts";
import { type IndexLookup, Scratch } from "../ranker.ts";
import { GENERIC_TERMS } from "./generic-words.ts";
import { type MeaningData, normalizeInPlace } from "./meaning-index.ts";
import {
  MEANING_TUNING,
  MeaningScratch,
  type MeaningSlot,
  nearCredit,
  planMeaning,
  rowOfWord,
} from "./meaning-query.ts";
import { rankByMeaning } from "./meaning-rank.ts";
import type { WordVectors } from "./word-vectors.ts";

export interface MeaningHit {
  doc: number;
  /** 0..1, higher is better. */
  score: number;
  /** Share of the question's weight the paper answers. */
  coverage: number;
  /** The paper's words that answered the question, as written in the corpus. */
  matchedTerms: string[];
}

export interface RelatedPaper {
  doc: number;
  /** Cosine of the two papers' vectors. */
  score: number;
  /** Words both papers use that carry their closeness, most telling first. */
  shared: string[];
}

export class Meaning {
  readonly data: MeaningData;
  private readonly index: IndexData;
  private readonly lookup: IndexLookup;
  private readonly vectors: WordVectors;
  private readonly scratch: Scratch;
  private readonly queryScratch: MeaningScratch;
  private readonly termSurface: Int32Array;
  private readonly queryVector: Float32Array;
  /** The two papers' forward rows, for their shared words. */
  private readonly rowA = new DecodedRow();
  private readonly rowB = new DecodedRow();
  /** Papers the question's usual closeness is measured on (all of a small corpus). */
  private readonly sample: Int32Array;
  /** The last question's closeness to what the corpus's papers have in common (set by slotsVector). */
  private domain = 0;

  constructor(lookup: IndexLookup, data: MeaningData, vectors: WordVectors, scratch?: Scratch) {
    this.index = lookup.index;
    this.lookup = lookup;
    this.data = data;
    this.vectors = vectors;
    this.scratch = scratch ?? new Scratch(lookup.index.docCount);
    this.queryScratch = new MeaningScratch(data.dims, data.clusterOffsets.length - 1);
    this.queryVector = new Float32Array(data.dims);
    const n = this.index.docCount;
    const size = Math.min(n, MEANING_TUNING.sampleSize);
    this.sample = Int32Array.from({ length: size }, (_, i) => Math.floor(((i + 0.5) * n) / size));
    // One written form per term, for showing and highlighting the words that matched.
    this.termSurface = new Int32Array(this.index.terms.length).fill(-1);
    for (let s = this.index.surfaces.length - 1; s >= 0; s--)
      this.termSurface[this.index.surfaceTerm[s] as number] = s;
  }

  surfaceOfTerm(term: number): string {
    const s = this.termSurface[term] as number;
    return (s >= 0 ? this.index.surfaces.at(s) : this.index.terms.at(term)) as string;
  }

  /** Slots for the question's content words (as the lexical engine picks them). */
  plan(words: readonly string[]): MeaningSlot[] {
    return planMeaning(this.lookup, this.data, this.vectors, words, this.queryScratch);
  }

  search(words: readonly string[], limit: number, accept?: (doc: number) => boolean): MeaningHit[] {
    const slots = this.plan(words);
    if (slots.length === 0) return [];
    const { candidateCoverage, standoutWeight, domainWeight, floor } = MEANING_TUNING;
    const ranked = rankByMeaning(this.index, slots, this.scratch, limit, candidateCoverage, accept);
    if (ranked.length === 0) return [];
    const query = this.slotsVector(slots);
    const usual = query ? this.usualCosine(query) : undefined;
    const domain = query ? domainWeight * this.domain : 0;
    const hits: MeaningHit[] = [];
    for (const r of ranked) {
      // How far the paper stands out from the corpus in closeness to the question (a z-score):
      // relative, so it means the same for a question the corpus is generally near and one it is not.
      const standout = query && usual ? (this.docCosine(r.doc, query) - usual.mean) / usual.spread : 0;
      const evidence = r.coverage + standoutWeight * Math.max(0, standout) + domain;
      if (evidence < floor) continue;
      hits.push({
        doc: r.doc,
        // 0..1 like lexical scores; the paper's prominence of the words (r.score) breaks ties.
        score:
          Math.min(1, evidence / (1 + 2 * standoutWeight)) *
          (0.9 + 0.1 * (r.score / Math.max(r.coverage, 1e-9))),
        coverage: r.coverage,
        matchedTerms: r.matched.map((m) => this.surfaceOfTerm(m.term)),
      });
    }
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return hits;
  }

  /** Mean and spread of the question's cosine over a fixed, evenly spread sample of papers. */
  private usualCosine(query: Float32Array): { mean: number; spread: number } | undefined {
    const sample = this.sample;
    if (sample.length < 2) return undefined;
    let sum = 0;
    let squares = 0;
    for (const doc of sample) {
      const c = this.docCosine(doc, query);
      sum += c;
      squares += c * c;
    }
    const mean = sum / sample.length;
    const spread = Math.sqrt(Math.max(0, squares / sample.length - mean * mean));
    return spread > 1e-6 ? { mean, spread } : undefined;
  }

  /**
   * The question as one unit vector (slot weights times word vectors) without the corpus's common
   * direction, like the paper vectors; undefined when no word has a vector.
   */
  private slotsVector(slots: MeaningSlot[]): Float32Array | undefined {
    const v = this.queryVector;
    v.fill(0);
    let any = false;
    for (const slot of slots) {
      if (slot.row < 0) continue;
      this.vectors.addTo(v, slot.row, slot.weight);
      any = true;
    }
    if (!any || !normalizeInPlace(v)) return undefined;
    const { common } = this.data;
    let along = 0;
    for (let k = 0; k < v.length; k++) along += (v[k] as number) * (common[k] as number);
    this.domain = along;
    for (let k = 0; k < v.length; k++) v[k] = (v[k] as number) - along * (common[k] as number);
    return normalizeInPlace(v) ? v : undefined;
  }

  private docCosine(doc: number, unit: Float32Array): number {
    const { docVectors, docScales, dims } = this.data;
    let dot = 0;
    for (let k = 0, at = doc * dims; k < dims; k++, at++)
      dot += (docVectors[at] as number) * (unit[k] as number);
    return dot * (docScales[doc] as number);
  }

  /**
   * How well each sentence answers the question's slots, 0..1: each slot credited by the
   * sentence's word nearest it in meaning (the word itself: 1), weighted like the search.
   */
  sentenceScorer(slots: MeaningSlot[]): (sentences: readonly string[]) => number[] {
    let total = 0;
    for (const slot of slots) total += slot.weight;
    const slotTerms = slots.map((slot) => stem(surfaceOf(slot.word)));
    const slotUnits = slots.map((slot) => {
      if (slot.row < 0) return undefined;
      const unit = new Float32Array(this.data.dims);
      this.vectors.addTo(unit, slot.row, 1);
      return unit;
    });
    return (sentences) => {
      // Credits per distinct word, shared by all sentences of the abstract.
      const credits = new Map<string, Float32Array>();
      const creditsOf = (word: string) => {
        let c = credits.get(word);
        if (!c) {
          c = new Float32Array(slots.length);
          const surface = surfaceOf(word);
          const term = stem(surface);
          let row = -2; // looked up on first need
          const rowNow = () => {
            if (row === -2) row = rowOfWord(this.vectors, word);
            return row;
          };
          for (let i = 0; i < slots.length; i++) {
            const unit = slotUnits[i];
            if (term === slotTerms[i]) c[i] = 1;
            else if (unit && rowNow() >= 0) c[i] = nearCredit(this.vectors.dotWith(row, unit));
          }
          credits.set(word, c);
        }
        return c;
      };
      const best = new Float32Array(slots.length);
      return sentences.map((sentence) => {
        if (total <= 0) return 0;
        best.fill(0);
        for (const word of foldedWords(sentence)) {
          if (STOPWORDS.has(word)) continue;
          const c = creditsOf(word);
          for (let i = 0; i < slots.length; i++)
            if ((c[i] as number) > (best[i] as number)) best[i] = c[i] as number;
        }
        let score = 0;
        for (let i = 0; i < slots.length; i++)
          score += (slots[i] as MeaningSlot).weight * (best[i] as number);
        return score / total;
      });
    };
  }

  /**
   * The `k` papers nearest `doc` by meaning (at least `relatedFloor` near: a paper with no near
   * neighbour gets fewer, or none), each with up to `sharedCandidates` words both use, most
   * telling first (the caller keeps those from both papers' titles and abstracts).
   */
  related(doc: number, k: number, accept?: (doc: number) => boolean): RelatedPaper[] {
    const { docVectors, docScales, dims } = this.data;
    const n = this.index.docCount;
    if (doc < 0 || doc >= n || docScales[doc] === 0) return [];
    const best: { doc: number; score: number }[] = [];
    const at = doc * dims;
    for (let other = 0; other < n; other++) {
      if (other === doc || docScales[other] === 0) continue;
      let dot = 0;
      for (let d = 0, o = other * dims; d < dims; d++, o++)
        dot += (docVectors[at + d] as number) * (docVectors[o] as number);
      const score = dot * (docScales[doc] as number) * (docScales[other] as number);
      if (score < MEANING_TUNING.relatedFloor) continue;
      if (best.length === k && score <= (best[k - 1] as { score: number }).score) continue;
      if (accept && !accept(other)) continue;
      best.push({ doc: other, score });
      best.sort((a, b) => b.score - a.score || a.doc - b.doc);
      if (best.length > k) best.pop();
    }
    return best.map((b) => ({ ...b, shared: this.sharedWords(doc, b.doc, MEANING_TUNING.sharedCandidates) }));
  }

  /**
   * Content words in both papers that carry their closeness: prominent in both, rare in the
   * corpus, and near in meaning to what sets both papers apart (their vectors, which have the
   * corpus's common direction removed, so words every paper uses count for nothing).
   */
  private sharedWords(a: number, b: number, count: number): string[] {
    const { postOffsets } = this.index;
    const { docVectors, docScales, dims, termRow } = this.data;
    const pair = this.queryVector;
    for (let d = 0; d < dims; d++)
      pair[d] =
        (docVectors[a * dims + d] as number) * (docScales[a] as number) +
        (docVectors[b * dims + d] as number) * (docScales[b] as number);
    if (!normalizeInPlace(pair)) return [];
    const rowA = this.rowA.read(this.index, a);
    const rowB = this.rowB.read(this.index, b);
    let i = 0;
    let j = 0;
    const found: { term: number; weight: number }[] = [];
    while (i < rowA.length && j < rowB.length) {
      const ta = rowA.terms[i] as number;
      const tb = rowB.terms[j] as number;
      if (ta < tb) i++;
      else if (tb < ta) j++;
      else {
        const row = termRow[ta] as number;
        const term = this.index.terms.at(ta) as string;
        // Words among the most common in English name no topic ("highly", "finally", "popular").
        if (row >= MEANING_TUNING.commonSharedRank && term.length >= 3 && !GENERIC_TERMS.has(term)) {
          const along = this.vectors.dotWith(row, pair);
          if (along > 0) {
            const df = (postOffsets[ta + 1] as number) - (postOffsets[ta] as number);
            const idf = Math.log(1 + this.index.docCount / df);
            const prominence = Math.min(rowA.impacts[i] as number, rowB.impacts[j] as number) / 255;
            found.push({ term: ta, weight: idf * prominence * along });
          }
        }
        i++;
        j++;
      }
    }
    found.sort((x, y) => y.weight - x.weight || x.term - y.term);
    return found.slice(0, count).map((f) => this.surfaceOfTerm(f.term));
  }
}
