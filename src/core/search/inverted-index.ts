/**
 * The inverted index, all in typed arrays (a few big buffers instead of millions of small
 * objects: fast to build, cheap on the heap, and persisted as raw bytes).
 *
 * - Postings (term -> docs) are sorted by BM25 impact, highest first, so a long list can be
 *   cut after its best entries ("champion list") and work scales with the answer. Each entry is
 *   one Int32, the document in the low 24 bits and the impact byte above them, so reading a list
 *   from disk is one read, not two.
 * - A forward index (doc -> sorted terms) lets the ranker fetch the exact contribution of a
 *   term that was cut from a candidate's postings. Each document's row is bytes: per term, the
 *   gap from the previous term id as a varint, then its impact byte (about 2.4 bytes a term
 *   instead of 5, and one read from disk per row).
 * - Impacts are BM25's saturated term frequency, tf / (tf + k1 (1 - b + b len/avg)), in 0..1,
 *   quantised to a byte.
 */
import { IN_MEMORY, type Pager } from "../typed-file.ts";
import { type DocTerms, tokenizeDocs, type WeightedText } from "./doc-terms.ts";
import { buildTermTable } from "./term-table.ts";
import { buildTypoStarts, buildTypoTable } from "./typo.ts";
import type { WordList } from "./word-list.ts";

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

export interface IndexData {
  docCount: number;
  /** term id -> index term (stem). */
  terms: WordList;
  /** surface id -> folded, Americanised word as written (typo candidates work on these). */
  surfaces: WordList;
  /** surface id -> term id. */
  surfaceTerm: Int32Array;
  /** term id -> start in postings; length terms + 1. */
  postOffsets: Int32Array;
  /** Per entry, the document and its impact: see postingDoc and postingImpact. */
  postings: Int32Array;
  /** doc -> start of its row in fwdRows; length docCount + 1. */
  fwdOffsets: Int32Array;
  /** Per doc, ascending terms: varint gap from the previous term id (the first from 0), impact byte. */
  fwdRows: Uint8Array;
  /** Deletion table over `surfaces` (see typo.ts). */
  typoTable: Float64Array;
  /** Where each range of hashes starts in typoTable (see typo.ts). */
  typoStarts: Int32Array;
  /** Term ids by word (see term-table.ts). */
  termTable: Int32Array;
  /**
   * Reads the large arrays' parts before use when the index was opened from disk (typed-file.ts):
   * postings and forward rows through loadPostings and loadRow, the typo table and its directory whole.
   */
  pager: Pager;
}

/** Documents a posting can name (its low 24 bits). */
export const MAX_DOCS = 1 << 24;
const DOC_MASK = MAX_DOCS - 1;

export const postingDoc = (posting: number): number => posting & DOC_MASK;
export const postingImpact = (posting: number): number => posting >>> 24;

/** Build the index. `docFields(i)` returns the weighted fields of document i. */
export function buildIndex(docCount: number, docFields: (doc: number) => WeightedText[]): IndexData {
  return indexDocTerms(tokenizeDocs(docCount, docFields));
}

/** Each entry's BM25 impact (see the top of this file): its saturated term frequency, as a byte. */
export function entryImpacts(tokens: DocTerms): Uint8Array {
  const { docCount, docLength, entryOffsets, entryTf } = tokens;
  const impacts = new Uint8Array(entryTf.length);
  let total = 0;
  for (let d = 0; d < docCount; d++) total += docLength[d] as number;
  const avg = docCount > 0 && total > 0 ? total / docCount : 1;
  for (let d = 0; d < docCount; d++) {
    const norm = BM25_K1 * (1 - BM25_B + (BM25_B * (docLength[d] as number)) / avg);
    for (let k = entryOffsets[d] as number; k < (entryOffsets[d + 1] as number); k++) {
      const tf = (entryTf[k] as number) / 16;
      impacts[k] = Math.max(1, Math.round((255 * tf) / (tf + norm)));
    }
  }
  return impacts;
}

/** Per term, the number of documents holding it. */
export function termDocCounts(tokens: DocTerms): Int32Array {
  const df = new Int32Array(tokens.terms.length);
  const { entryTerms } = tokens;
  for (let k = 0; k < entryTerms.length; k++) {
    const term = entryTerms[k] as number;
    df[term] = (df[term] as number) + 1;
  }
  return df;
}

/** How often a long build reports progress (see indexDocTerms): every this many documents or terms. */
const PROGRESS_STEP = 4096;

/**
 * The index of tokenized documents: BM25 impacts, postings, forward rows, typo and term tables.
 * `progress` is called every so often (a helper thread counts it: see helper-thread.ts).
 */
export function indexDocTerms(tokens: DocTerms, progress: () => void = () => {}): IndexData {
  const { docCount, terms, surfaces, entryOffsets, entryTerms } = tokens;
  if (docCount > MAX_DOCS) throw new Error(`an index holds at most ${MAX_DOCS} documents, not ${docCount}`);
  const termCount = terms.length;
  const impacts = entryImpacts(tokens);
  const df = termDocCounts(tokens);
  progress();
  const postOffsets = new Int32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) postOffsets[t + 1] = (postOffsets[t] as number) + (df[t] as number);
  const postings = postingsOf(entryOffsets, entryTerms, impacts, postOffsets, progress);
  // The postings are in document order here: read term by term, they give every row its terms
  // ascending (written over the entries' impacts, which are in the postings now).
  const rowTerms = rowsOf(postOffsets, postings, entryOffsets, impacts, progress);
  const { rows: fwdRows, offsets: rowOffsets } = encodeRows(entryOffsets, rowTerms, impacts);
  progress();
  sortPostingsByImpact(postOffsets, postings);
  progress();

  const typoTable = buildTypoTable(surfaces);
  return {
    docCount,
    terms,
    surfaces,
    surfaceTerm: tokens.surfaceTerm,
    postOffsets,
    postings,
    fwdOffsets: rowOffsets,
    fwdRows,
    typoTable,
    typoStarts: buildTypoStarts(typoTable),
    termTable: buildTermTable(terms),
    pager: IN_MEMORY,
  };
}

/** Each term's postings, in document order, from the documents' entries (one pass over them). */
function postingsOf(
  entryOffsets: Int32Array,
  entryTerms: Int32Array,
  impacts: Uint8Array,
  postOffsets: Int32Array,
  progress: () => void,
): Int32Array {
  const fill = postOffsets.slice();
  const postings = new Int32Array(entryTerms.length);
  for (let doc = 0; doc + 1 < entryOffsets.length; doc++) {
    if (doc % PROGRESS_STEP === 0) progress();
    for (let k = entryOffsets[doc] as number; k < (entryOffsets[doc + 1] as number); k++) {
      const term = entryTerms[k] as number;
      const at = fill[term] as number;
      fill[term] = at + 1;
      postings[at] = doc | ((impacts[k] as number) << 24);
    }
  }
  return postings;
}

/**
 * The postings turned back into rows: per document, its terms ascending and (into `outImpacts`)
 * their impacts, at the document's entries.
 */
function rowsOf(
  postOffsets: Int32Array,
  postings: Int32Array,
  entryOffsets: Int32Array,
  outImpacts: Uint8Array,
  progress: () => void,
): Int32Array {
  const fill = entryOffsets.slice();
  const terms = new Int32Array(postings.length);
  for (let term = 0; term + 1 < postOffsets.length; term++) {
    if (term % PROGRESS_STEP === 0) progress();
    for (let k = postOffsets[term] as number; k < (postOffsets[term + 1] as number); k++) {
      const posting = postings[k] as number;
      const doc = postingDoc(posting);
      const at = fill[doc] as number;
      fill[doc] = at + 1;
      terms[at] = term;
      outImpacts[at] = postingImpact(posting);
    }
  }
  return terms;
}

/** The forward rows as bytes (see fwdRows) from per-entry term ids and impacts. */
function encodeRows(
  entryOffsets: Int32Array,
  terms: Int32Array,
  impacts: Uint8Array,
): { rows: Uint8Array; offsets: Int32Array } {
  const offsets = new Int32Array(entryOffsets.length);
  let bytes = 0;
  for (let d = 0; d + 1 < entryOffsets.length; d++) {
    let previous = 0;
    for (let k = entryOffsets[d] as number; k < (entryOffsets[d + 1] as number); k++) {
      const term = terms[k] as number;
      bytes += varintBytes(term - previous) + 1;
      previous = term;
    }
    offsets[d + 1] = bytes;
  }
  const rows = new Uint8Array(bytes);
  let at = 0;
  for (let d = 0; d + 1 < entryOffsets.length; d++) {
    let previous = 0;
    for (let k = entryOffsets[d] as number; k < (entryOffsets[d + 1] as number); k++) {
      const term = terms[k] as number;
      let gap = term - previous;
      previous = term;
      while (gap >= 0x80) {
        rows[at++] = (gap & 0x7f) | 0x80;
        gap >>>= 7;
      }
      rows[at++] = gap;
      rows[at++] = impacts[k] as number;
    }
  }
  return { rows, offsets };
}

const varintBytes = (n: number) => (n < 1 << 7 ? 1 : n < 1 << 14 ? 2 : n < 1 << 21 ? 3 : 4);

/**
 * Lists no longer than this stay in document order: the ranker reads at least this many entries
 * of every list (see ranker.ts), so only longer lists need their best entries first.
 */
export const UNSORTED_LIST_MAX = 1000;

/** Highest impact first within each long list (a counting sort on the impact byte); ties keep document order. */
function sortPostingsByImpact(offsets: Int32Array, postings: Int32Array): void {
  const counts = new Int32Array(257);
  let sorted = new Int32Array(0);
  for (let t = 0; t + 1 < offsets.length; t++) {
    const start = offsets[t] as number;
    const end = offsets[t + 1] as number;
    const n = end - start;
    if (n <= UNSORTED_LIST_MAX) continue;
    if (n > sorted.length) sorted = new Int32Array(n);
    counts.fill(0);
    for (let k = start; k < end; k++) {
      const bucket = 256 - postingImpact(postings[k] as number);
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    // counts[i] becomes the first position of bucket i (bucket 1 = impact 255).
    let sum = 0;
    for (let i = 0; i < 257; i++) {
      const c = counts[i] as number;
      counts[i] = sum;
      sum += c;
    }
    for (let k = start; k < end; k++) {
      const posting = postings[k] as number;
      const bucket = 256 - postingImpact(posting);
      const at = counts[bucket] as number;
      counts[bucket] = at + 1;
      sorted[at] = posting;
    }
    postings.set(sorted.subarray(0, n), start);
  }
}

/** Number of documents containing a term. */
export function docFrequency(index: IndexData, term: number): number {
  return (index.postOffsets[term + 1] as number) - (index.postOffsets[term] as number);
}

/** Makes postings [start, end) readable (see `pager`). */
export function loadPostings(index: IndexData, start: number, end: number): void {
  index.pager.load(index.postings, start, end);
}

/** Makes a document's forward row readable (see `pager`). */
export function loadRow(index: IndexData, doc: number): void {
  index.pager.load(index.fwdRows, index.fwdOffsets[doc] as number, index.fwdOffsets[doc + 1] as number);
}

/** The gap readGap read last (an object field: a row is decoded with no allocation). */
const gap = { value: 0 };

/** Reads the varint gap at rows[at] into `gap`; returns where the entry's impact byte is. */
function readGap(rows: Uint8Array, at: number): number {
  let byte = rows[at++] as number;
  let value = byte & 0x7f;
  for (let shift = 7; byte & 0x80; shift += 7) {
    byte = rows[at++] as number;
    value |= (byte & 0x7f) << shift;
  }
  gap.value = value;
  return at;
}

/** Impact (0..255) of `term` in `doc`, 0 when absent: a scan of the doc's row, which is sorted. */
export function impactIn(index: IndexData, doc: number, term: number): number {
  loadRow(index, doc);
  const rows = index.fwdRows;
  const end = index.fwdOffsets[doc + 1] as number;
  let k = index.fwdOffsets[doc] as number;
  let t = 0;
  while (k < end) {
    k = readGap(rows, k);
    t += gap.value;
    if (t >= term) return t === term ? (rows[k] as number) : 0;
    k++;
  }
  return 0;
}

/** A document's forward row decoded: terms ascending and their impacts, in reusable buffers. */
export class DecodedRow {
  terms = new Int32Array(256);
  impacts = new Uint8Array(256);
  length = 0;

  read(index: IndexData, doc: number): this {
    loadRow(index, doc);
    const rows = index.fwdRows;
    const end = index.fwdOffsets[doc + 1] as number;
    let k = index.fwdOffsets[doc] as number;
    let t = 0;
    this.length = 0;
    while (k < end) {
      k = readGap(rows, k);
      t += gap.value;
      if (this.length === this.terms.length) {
        const terms = new Int32Array(this.length * 2);
        terms.set(this.terms);
        this.terms = terms;
        const impacts = new Uint8Array(this.length * 2);
        impacts.set(this.impacts);
        this.impacts = impacts;
      }
      this.terms[this.length] = t;
      this.impacts[this.length++] = rows[k++] as number;
    }
    return this;
  }
}
