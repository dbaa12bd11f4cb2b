/**
 * Documents as term counts: what tokenizing makes, before any corpus-wide statistic. Two parts
 * tokenized apart (e.g. in two threads) concatenate into exactly what tokenizing all the
 * documents in one pass makes: same surface and term ids, in first-seen order.
 */
import { latexToText } from "../latex.ts";
import { IntList, NumberedStrings } from "../lists.ts";
import { STOPWORDS, stem, surfaceOf } from "./normalize.ts";
import { WordTable } from "./word-table.ts";

/** One field of a document and how much a word in it counts (title words count more than abstract words). */
export interface WeightedText {
  text: string;
  weight: number;
  /** The text is LaTeX as written: it is indexed as latexToText makes it. */
  latex?: boolean;
}

export interface DocTerms {
  docCount: number;
  /** surface id -> folded, Americanised word as written, in first-seen order. */
  surfaces: string[];
  /** surface id -> term id. */
  surfaceTerm: Int32Array;
  /** term id -> index term (stem), in first-seen order. */
  terms: string[];
  /** doc -> start of its entries; length docCount + 1. */
  entryOffsets: Int32Array;
  /** Per doc, its distinct terms in the order first met (sorting is left to the index, which does it for all docs at once). */
  entryTerms: Int32Array;
  /** The entry's term frequency, weighted by field, times 16. */
  entryTf: Int32Array;
  /** Weighted word count per doc. */
  docLength: Float64Array;
}

/** Ids for surfaces and terms in first-seen order (a new surface gets its term here too). */
class Vocabulary {
  readonly surfaces: NumberedStrings;
  readonly terms: NumberedStrings;
  readonly surfaceTerm: IntList;

  constructor(from?: Pick<DocTerms, "surfaces" | "terms" | "surfaceTerm">) {
    this.surfaces = new NumberedStrings(from?.surfaces);
    this.terms = new NumberedStrings(from?.terms);
    this.surfaceTerm = from ? IntList.of(from.surfaceTerm) : new IntList();
  }

  /** The surface's id, added (with its term, `term` or else its stem) when new. */
  surfaceId(surface: string, term?: string): number {
    const count = this.surfaces.list.length;
    const id = this.surfaces.add(surface);
    if (id === count) this.surfaceTerm.push(this.terms.add(term ?? stem(surface)));
    return id;
  }
}

/** The vocabulary a DocTerms was tokenized with in this thread: concatDocTerms goes on with it. */
const vocabularies = new WeakMap<DocTerms, Vocabulary>();

/** Tokenizes documents 0..docCount-1, `docFields(i)` giving document i's weighted fields. */
export function tokenizeDocs(docCount: number, docFields: (doc: number) => WeightedText[]): DocTerms {
  const vocabulary = new Vocabulary();
  const entryOffsets = new Int32Array(docCount + 1);
  const entryTerms = new IntList();
  const entryTf = new IntList();
  const docLength = new Float64Array(docCount);
  // Per term, its weighted count in the current doc; `touched` lists the terms counted.
  let tf = new Float64Array(4096);
  let touched = new Int32Array(1024);
  let touchedCount = 0;
  let length = 0;
  let weight = 1;

  // A word's value in the table is its term: counting it reads nothing else.
  const table = new WordTable((word) => {
    if (STOPWORDS.has(word)) return -1;
    const id = vocabulary.surfaceId(surfaceOf(word));
    if (vocabulary.terms.list.length > tf.length) {
      const grown = new Float64Array(tf.length * 2);
      grown.set(tf);
      tf = grown;
    }
    return vocabulary.surfaceTerm.data[id] as number;
  });
  const count = (term: number) => {
    if (tf[term] === 0) {
      if (touchedCount === touched.length) {
        const grown = new Int32Array(touched.length * 2);
        grown.set(touched);
        touched = grown;
      }
      touched[touchedCount++] = term;
    }
    tf[term] = (tf[term] as number) + weight;
    length += weight;
  };

  for (let doc = 0; doc < docCount; doc++) {
    length = 0;
    for (const field of docFields(doc)) {
      weight = field.weight;
      table.scan(field.latex ? latexToText(field.text) : field.text, count);
    }
    for (let i = 0; i < touchedCount; i++) {
      const term = touched[i] as number;
      entryTerms.push(term);
      entryTf.push(Math.round((tf[term] as number) * 16));
      tf[term] = 0;
    }
    touchedCount = 0;
    docLength[doc] = length;
    entryOffsets[doc + 1] = entryTerms.length;
  }
  const tokens = {
    docCount,
    surfaces: vocabulary.surfaces.list,
    surfaceTerm: vocabulary.surfaceTerm.take(),
    terms: vocabulary.terms.list,
    entryOffsets,
    entryTerms: entryTerms.take(),
    entryTf: entryTf.take(),
    docLength,
  };
  vocabularies.set(tokens, vocabulary);
  return tokens;
}

/**
 * `first`'s documents followed by `second`'s, as if tokenized in one pass: `second`'s surfaces
 * not in `first` get the next ids in `second`'s first-seen order (which is the order one pass
 * meets them in), and so do their new terms. `first` is used up: its word lists may grow.
 */
export function concatDocTerms(first: DocTerms, second: DocTerms): DocTerms {
  const vocabulary = vocabularies.get(first) ?? new Vocabulary(first);
  vocabularies.delete(first);
  const termOf = new Int32Array(second.terms.length);
  for (let s = 0; s < second.surfaces.length; s++) {
    const term = second.terms[second.surfaceTerm[s] as number] as string;
    const id = vocabulary.surfaceId(second.surfaces[s] as string, term);
    termOf[second.surfaceTerm[s] as number] = vocabulary.surfaceTerm.data[id] as number;
  }

  const docCount = first.docCount + second.docCount;
  const firstEntries = first.entryTerms.length;
  // The entries are in shared memory: a helper thread indexes them while this thread reads them too.
  const shared = (length: number) => new Int32Array(new SharedArrayBuffer(length * 4));
  const entryTerms = shared(firstEntries + second.entryTerms.length);
  entryTerms.set(first.entryTerms);
  const secondTerms = second.entryTerms;
  for (let k = 0; k < secondTerms.length; k++)
    entryTerms[firstEntries + k] = termOf[secondTerms[k] as number] as number;
  const entryTf = shared(entryTerms.length);
  entryTf.set(first.entryTf);
  entryTf.set(second.entryTf, firstEntries);
  const entryOffsets = new Int32Array(docCount + 1);
  entryOffsets.set(first.entryOffsets);
  for (let d = 1; d <= second.docCount; d++)
    entryOffsets[first.docCount + d] = firstEntries + (second.entryOffsets[d] as number);
  const docLength = new Float64Array(docCount);
  docLength.set(first.docLength);
  docLength.set(second.docLength, first.docCount);
  return {
    docCount,
    surfaces: vocabulary.surfaces.list,
    surfaceTerm: vocabulary.surfaceTerm.take(),
    terms: vocabulary.terms.list,
    entryOffsets,
    entryTerms,
    entryTf,
    docLength,
  };
}
