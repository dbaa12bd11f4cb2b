/**
 * What the index keeps for meaning, built with the inverted index and saved with it: each index
 * term's word-vector row, a vector per paper (the weighted average of its words' vectors, int8),
 * and the corpus words grouped into clusters so a query word finds its near words quickly.
 * Everything is derived from the tokenized documents, so no document text is needed.
 */
import type { Pager } from "../../typed-file.ts";
import type { DocTerms } from "../doc-terms.ts";
import { entryImpacts, termDocCounts } from "../inverted-index.ts";
import { clusterVectors } from "./clusters.ts";
import type { WordVectors } from "./word-vectors.ts";

export interface MeaningData {
  /** The word vectors this was built with (name@version): a saved index is reused only with the same. */
  source: string;
  dims: number;
  /** index term id -> word-vector row, -1 when the term has none. */
  termRow: Int32Array;
  /**
   * docCount * dims: unit paper vectors, each scaled to the int8 range with its own scale. The
   * direction every paper shares (`common`) is taken out, so what is left is what sets a paper apart.
   */
  docVectors: Int8Array;
  docScales: Float32Array;
  /** dims: the unit mean of the paper vectors (what all papers of the corpus have in common). */
  common: Float32Array;
  /** clusters * dims, unit centroids of the corpus words' vectors. */
  centroids: Float32Array;
  /** clusters + 1 offsets into clusterTerms. */
  clusterOffsets: Int32Array;
  /** Term ids (only those with a vector), grouped by cluster. */
  clusterTerms: Int32Array;
}

/** Makes every array readable (an index opened from disk reads them only when meaning is first used). */
export function loadMeaning(meaning: MeaningData, pager: Pager): void {
  const { termRow, docVectors, docScales, common, centroids, clusterOffsets, clusterTerms } = meaning;
  for (const part of [termRow, docVectors, docScales, common, centroids, clusterOffsets, clusterTerms])
    pager.load(part);
}

/**
 * How much a word says, from its frequency in English (rows are in frequency order): the most
 * common words say almost nothing. Smooth inverse frequency, a / (a + p(word)), with p from Zipf's law.
 */
const SIF_A = 1e-4;
export function wordWeight(vectors: WordVectors, row: number): number {
  const p = 1 / ((row + 1) * (Math.log(vectors.size) + 0.5772));
  return SIF_A / (SIF_A + p);
}

/** The row standing for an index term: the most common of its written forms that has a vector. */
function termRows(
  index: Pick<DocTerms, "terms" | "surfaces" | "surfaceTerm">,
  vectors: WordVectors,
): Int32Array {
  const termRow = new Int32Array(index.terms.length).fill(-1);
  const consider = (term: number, word: string) => {
    const row = vectors.row(word);
    const current = termRow[term] as number;
    if (row >= 0 && (current < 0 || row < current)) termRow[term] = row;
  };
  for (let s = 0; s < index.surfaces.length; s++)
    consider(index.surfaceTerm[s] as number, index.surfaces.at(s) as string);
  for (let t = 0; t < index.terms.length; t++) consider(t, index.terms.at(t) as string);
  return termRow;
}

function idf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

/**
 * Paper vectors: sum of term vectors weighted by in-paper weight (BM25 impact), rarity in the
 * corpus and in English; then the corpus's common direction is removed from each (as in SIF
 * sentence embeddings, Arora et al. 2017): in a corpus of ML papers every paper leans the same way,
 * and without this every question about "models" and "data" looks near every paper.
 * The rows of `termRow` must be readable already (WordVectors.loadRows).
 */
function paperVectors(
  tokens: DocTerms,
  vectors: WordVectors,
  termRow: Int32Array,
): Pick<MeaningData, "docVectors" | "docScales" | "common"> {
  const { docCount, entryOffsets, entryTerms } = tokens;
  const dims = vectors.dims;
  const df = termDocCounts(tokens);
  const termWeight = new Float32Array(tokens.terms.length);
  for (let t = 0; t < termWeight.length; t++) {
    const row = termRow[t] as number;
    if (row >= 0) termWeight[t] = idf(docCount, df[t] as number) * wordWeight(vectors, row);
  }
  const impacts = entryImpacts(tokens);
  const docVectors = new Int8Array(docCount * dims);
  const docScales = new Float32Array(docCount);
  const sum = new Float32Array(dims);
  const common = new Float32Array(dims);
  for (let doc = 0; doc < docCount; doc++) {
    sum.fill(0);
    for (let k = entryOffsets[doc] as number; k < (entryOffsets[doc + 1] as number); k++) {
      const term = entryTerms[k] as number;
      const vector = termRow[term] as number;
      if (vector < 0) continue;
      vectors.addLoaded(sum, vector, ((impacts[k] as number) / 255) * (termWeight[term] as number));
    }
    const scale = quantize(sum, docVectors, doc * dims);
    docScales[doc] = scale;
    for (let k = 0, at = doc * dims; k < dims; k++, at++)
      common[k] = (common[k] as number) + (docVectors[at] as number) * scale;
  }
  // One corpus-wide direction is not "common" (a single paper would lose everything).
  if (docCount < 2 || !normalizeInPlace(common)) return { docVectors, docScales, common: common.fill(0) };
  for (let doc = 0; doc < docCount; doc++) {
    const at = doc * dims;
    const scale = docScales[doc] as number;
    if (scale === 0) continue;
    let along = 0;
    for (let k = 0; k < dims; k++) along += (docVectors[at + k] as number) * scale * (common[k] as number);
    for (let k = 0; k < dims; k++)
      sum[k] = (docVectors[at + k] as number) * scale - along * (common[k] as number);
    docScales[doc] = quantize(sum, docVectors, at);
  }
  return { docVectors, docScales, common };
}

/** Scales v to unit length; false for a zero vector. */
export function normalizeInPlace(v: Float32Array): boolean {
  let norm = 0;
  for (let k = 0; k < v.length; k++) norm += (v[k] as number) ** 2;
  if (norm === 0) return false;
  norm = Math.sqrt(norm);
  for (let k = 0; k < v.length; k++) v[k] = (v[k] as number) / norm;
  return true;
}

/** Writes v / |v| as int8 at `at`; returns the scale (0 for a zero vector). */
export function quantize(v: Float32Array, out: Int8Array, at: number): number {
  let norm = 0;
  let max = 0;
  for (let k = 0; k < v.length; k++) {
    norm += (v[k] as number) ** 2;
    max = Math.max(max, Math.abs(v[k] as number));
  }
  if (norm === 0) return 0;
  norm = Math.sqrt(norm);
  const scale = max / norm / 127;
  // One division, not two per element: a build quantizes every paper's vector twice.
  const factor = 1 / (norm * scale);
  for (let k = 0; k < v.length; k++) out[at + k] = Math.round((v[k] as number) * factor);
  return scale;
}

/** Meaning for tokenized documents (their terms are the index's: see indexDocTerms). */
export function buildMeaning(tokens: DocTerms, vectors: WordVectors): MeaningData {
  const termRow = termRows(tokens, vectors);
  // Clustering and the paper vectors add these rows millions of times: read each once.
  vectors.loadRows(termRow);
  const withVector: number[] = [];
  for (let t = 0; t < termRow.length; t++) if ((termRow[t] as number) >= 0) withVector.push(t);
  const clusters = clusterVectors(withVector.length, vectors.dims, (i, out) => {
    out.fill(0);
    vectors.addLoaded(out, termRow[withVector[i] as number] as number, 1);
  });
  const clusterTerms = clusters.members.map((i) => withVector[i] as number);
  return {
    source: vectors.source,
    dims: vectors.dims,
    termRow,
    ...paperVectors(tokens, vectors, termRow),
    centroids: clusters.centroids,
    clusterOffsets: clusters.offsets,
    clusterTerms,
  };
}
