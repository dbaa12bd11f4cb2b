/**
 * A question's words, as meaning sees them: each content word becomes a slot whose alternatives
 * are the corpus words near it in meaning ("photos" -> images, picture), found through the word
 * clusters, each credited by how near it is (the word itself counts fully). A slot weighs what its
 * word says: rare words in English and in the corpus weigh most.
 */
import { docFrequency, type IndexData } from "../inverted-index.ts";
import { stem, surfaceOf } from "../normalize.ts";
import type { IndexLookup } from "../ranker.ts";
import type { MeaningData } from "./meaning-index.ts";
import type { WordVectors } from "./word-vectors.ts";

export const MEANING_TUNING = Object.freeze({
  /** Word similarity below which a corpus word is not near a query word at all. */
  nearFrom: 0.6,
  /** Similarity from which a near word counts (almost) like the word itself. */
  nearFull: 0.85,
  /** Credit of a near word at nearFull and above (the word itself: 1). */
  nearCredit: 0.9,
  /** Near words kept per query word, nearest first. */
  nearPerWord: 12,
  /** Clusters searched per query word. */
  probes: 12,
  /** Words at least this common in English say nothing about a topic (rank, 0 = most common). */
  commonRank: 300,
  /** How much a word's weight comes from its rarity in English, against its rarity in the corpus. */
  englishShare: 0.5,
  /** Weight of a word that has neither a vector nor a corpus match (a name, a typo, jargon). */
  unknownWeight: 1,
  /** Share of the question's weight a paper's words must answer to be considered at all. */
  candidateCoverage: 0.1,
  /**
   * How much a paper standing out from the corpus in closeness to the question (the z-score of its
   * vector's cosine with the question's, against the usual cosine of the corpus's papers) adds to
   * its coverage.
   */
  standoutWeight: 0.15,
  /**
   * How much the question's closeness to what the corpus's papers have in common (its vector's
   * cosine with their mean direction: "is this about the kind of thing this corpus is about")
   * adds. Off-topic questions ("medieval tax records") sit near 0 or below.
   */
  domainWeight: 0.3,
  /**
   * Cosine of two paper vectors (common direction removed) from which a paper counts as related:
   * unrelated papers of one field sit around 0 (see README).
   */
  relatedFloor: 0.15,
  /** Words at least this common in English (rank) are not offered as shared words. */
  commonSharedRank: 1000,
  /** Shared words offered per related paper (the caller keeps the title and abstract words among them). */
  sharedCandidates: 12,
  /** Papers the usual cosine is measured on: evenly spread, enough for a steady mean and spread. */
  sampleSize: 256,
  /**
   * Coverage plus standing out plus closeness to the corpus's kind of papers a paper needs to be
   * an answer. Calibrated on the labelled questions (bench/relevance-queries.ts, `npm run eval`):
   * the lowest round floor that answers no off-topic question but the one near miss there
   * ("protein structure prediction": "structure" and "prediction" are corpus words); see README.
   */
  floor: 0.5,
});

export interface NearWord {
  term: number;
  /** 0..1: 1 for the word itself, less for near words. */
  credit: number;
  /** The corpus word, for highlighting and for telling what was shared. */
  surface: string;
}

export interface MeaningSlot {
  word: string;
  weight: number;
  /** Word-vector row of the query word, -1 when it has none. */
  row: number;
  near: NearWord[];
}

/** Credit of a corpus word at similarity s. */
export function nearCredit(s: number): number {
  const { nearFrom, nearFull, nearCredit: top } = MEANING_TUNING;
  if (s < nearFrom) return 0;
  return top * Math.min(1, (s - nearFrom) / (nearFull - nearFrom));
}

/** A query word's row: as written (Americanised), as typed, or its stem. */
export function rowOfWord(vectors: WordVectors, word: string): number {
  const surface = surfaceOf(word);
  let row = vectors.row(surface);
  if (row < 0 && surface !== word) row = vectors.row(word);
  if (row < 0) row = vectors.row(stem(surface));
  return row;
}

function idf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

/** Reusable buffers for one engine's queries. */
export class MeaningScratch {
  readonly unit: Float32Array;
  readonly centroidSims: Float32Array;
  readonly order: Int32Array;

  constructor(dims: number, clusters: number) {
    this.unit = new Float32Array(dims);
    this.centroidSims = new Float32Array(clusters);
    this.order = new Int32Array(clusters);
  }
}

/** Corpus terms near `row` (similarity >= nearFrom), nearest first, from the probed clusters. */
function nearTerms(
  meaning: MeaningData,
  vectors: WordVectors,
  row: number,
  index: IndexData,
  scratch: MeaningScratch,
): NearWord[] {
  const { centroids, clusterOffsets, clusterTerms, termRow, dims } = meaning;
  const clusters = clusterOffsets.length - 1;
  const { unit, centroidSims } = scratch;
  unit.fill(0);
  vectors.addTo(unit, row, 1);
  for (let c = 0; c < clusters; c++) {
    let s = 0;
    for (let k = 0, at = c * dims; k < dims; k++, at++) s += (unit[k] as number) * (centroids[at] as number);
    centroidSims[c] = s;
  }
  // The `probes` best clusters: a partial selection, clusters are a few hundred at most.
  const probes = Math.min(MEANING_TUNING.probes, clusters);
  const picked: number[] = [];
  for (let p = 0; p < probes; p++) {
    let best = -1;
    let bestSim = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < clusters; c++) {
      const s = centroidSims[c] as number;
      if (s > bestSim) {
        bestSim = s;
        best = c;
      }
    }
    if (best < 0) break;
    picked.push(best);
    centroidSims[best] = Number.NEGATIVE_INFINITY;
  }
  const found: { term: number; sim: number }[] = [];
  for (const c of picked) {
    for (let k = clusterOffsets[c] as number; k < (clusterOffsets[c + 1] as number); k++) {
      const term = clusterTerms[k] as number;
      const sim = vectors.dotWith(termRow[term] as number, unit);
      if (sim >= MEANING_TUNING.nearFrom) found.push({ term, sim });
    }
  }
  found.sort((a, b) => b.sim - a.sim || a.term - b.term);
  return found.slice(0, MEANING_TUNING.nearPerWord).map(({ term, sim }) => ({
    term,
    credit: nearCredit(sim),
    surface: index.terms.at(term) as string,
  }));
}

/** How much a word says: rare in English (by its vector's frequency rank) and rare in the corpus. */
function slotWeight(index: IndexData, row: number, near: NearWord[]): number {
  if (row < 0 && near.length === 0) return MEANING_TUNING.unknownWeight;
  const english = row < 0 ? 1 : Math.max(0.05, Math.log((row + 1) / MEANING_TUNING.commonRank));
  let df = 0;
  for (const n of near) df += docFrequency(index, n.term);
  const corpus = idf(index.docCount, Math.min(index.docCount, Math.max(1, df)));
  return english ** MEANING_TUNING.englishShare * corpus ** (1 - MEANING_TUNING.englishShare);
}

export function planMeaning(
  lookup: IndexLookup,
  meaning: MeaningData,
  vectors: WordVectors,
  words: readonly string[],
  scratch: MeaningScratch,
): MeaningSlot[] {
  const { index } = lookup;
  const slots: MeaningSlot[] = [];
  for (const word of words) {
    const surface = surfaceOf(word);
    const exact = lookup.termId.get(stem(surface));
    const row = rowOfWord(vectors, word);
    const near: NearWord[] = exact !== undefined ? [{ term: exact, credit: 1, surface: word }] : [];
    if (row >= 0) {
      for (const n of nearTerms(meaning, vectors, row, index, scratch)) {
        if (n.term !== exact) near.push(n);
      }
    }
    slots.push({ word, weight: slotWeight(index, row, near), row, near });
  }
  return slots;
}
