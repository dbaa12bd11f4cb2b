/**
 * paperbot's search engine: an inverted index with BM25-style ranking over every field, typo
 * corrections from a deletion table, and Fuse.js rescoring the best candidates on the short
 * fields (title, authors, venue), where its fuzzy matching is strongest. With word vectors it
 * also answers by meaning (semantic/): words near the question's in meaning, paper vectors.
 */
import Fuse from "fuse.js";
import type { WeightedText } from "./doc-terms.ts";
import {
  type DocumentSource,
  documentSource,
  type EngineHit,
  type EngineSearchOptions,
  type RelatedHit,
  type SearchDocument,
  type SearchEngine,
  type SearchEngineFactory,
} from "./engine.ts";
import type { IndexData } from "./inverted-index.ts";
import { buildInParallel } from "./parallel-build.ts";
import {
  addCorrections,
  createLookup,
  hasFullMatch,
  type IndexLookup,
  planQuery,
  queryWords,
  type RankedDoc,
  rank,
  Scratch,
} from "./ranker.ts";
import { Meaning } from "./semantic/meaning.ts";
import { loadMeaning, type MeaningData } from "./semantic/meaning-index.ts";
import { sharedWordVectors, type VectorLoad } from "./semantic/vector-store.ts";

/** How much a word counts in each field: a title or author word says more than an abstract word. */
export const FIELD_WEIGHTS = Object.freeze({ title: 3, authors: 3, venue: 2, categories: 1, abstract: 1 });
/** Share of the final score Fuse's short-field match can add (it only ever raises a score). */
const FUSE_BONUS = 0.15;
/** Candidates Fuse rescores: enough to reorder a page, few enough to stay well under a millisecond. */
const FUSE_CANDIDATES = 12;

/** What an engine needs besides the index: ids, and the short fields Fuse rescores (a dozen per query). */
export interface ShortFields {
  ids: readonly string[];
  heading(doc: number): ShortRecord;
}

/** The short fields as plain arrays, as saved with an index. */
export interface ShortFieldArrays {
  ids: string[];
  titles: string[];
  authors: string[];
  venues: string[];
}

export interface EngineSnapshot {
  index: IndexData;
  fields: ShortFields;
  /** Built when word vectors were at hand; absent, the engine answers lexically only. */
  meaning?: MeaningData;
}

/** The word vectors an engine answers questions with, or why there are none. */
export type MeaningVectors = Pick<VectorLoad, "vectors" | "problem" | "warning">;
/** The vectors, or a function giving them on the first question (a restored index starts without reading them). */
export type VectorSupply = MeaningVectors | (() => MeaningVectors);

export interface ShortRecord {
  title: string;
  authors: string;
  venue: string;
}

export class PaperEngine implements SearchEngine {
  readonly snapshot: EngineSnapshot;
  private readonly lookup: IndexLookup;
  private readonly scratch: Scratch;
  private supply?: VectorSupply;
  private meaningNow?: Meaning;
  private problem?: string;
  private warning?: string;

  /** `vectors` are the ones `snapshot.meaning` was built with (checked by source); without them, lexical only. */
  constructor(snapshot: EngineSnapshot, vectors: VectorSupply = {}) {
    this.snapshot = snapshot;
    this.lookup = createLookup(snapshot.index);
    this.scratch = new Scratch(snapshot.index.docCount);
    this.supply = vectors;
    if (typeof vectors !== "function") this.resolveMeaning();
  }

  /** Why questions are answered lexically only (known once the vectors were needed). */
  get meaningProblem(): string | undefined {
    return this.problem;
  }

  /** Meaning works, but something about the vectors is worth a warning (e.g. they could not be cached). */
  get meaningWarning(): string | undefined {
    return this.warning;
  }

  private resolveMeaning(): Meaning | undefined {
    const supply = this.supply;
    if (supply === undefined) return this.meaningNow;
    this.supply = undefined;
    const vectors = typeof supply === "function" ? supply() : supply;
    const { meaning } = this.snapshot;
    if (meaning && vectors.vectors?.source === meaning.source) {
      loadMeaning(meaning, this.snapshot.index.pager);
      this.meaningNow = new Meaning(this.lookup, meaning, vectors.vectors, this.scratch);
      this.warning = vectors.warning;
    } else {
      this.problem =
        vectors.problem ??
        (meaning
          ? `the index was built with other word vectors (${meaning.source})`
          : "the index was built without word vectors");
    }
    return this.meaningNow;
  }

  /** Builds with the process's word vectors (see sharedWordVectors), or `vectors` when given. */
  static build(documents: readonly SearchDocument[], vectors?: MeaningVectors): PaperEngine {
    return PaperEngine.fromSource(documentSource(documents), vectors);
  }

  /**
   * Builds from the source's documents (abstracts cleaned as they are indexed, when the source
   * gives them as written); short fields share the headings' strings.
   */
  static fromSource(source: DocumentSource, vectors: MeaningVectors = sharedWordVectors()): PaperEngine {
    const { writtenDocument } = source;
    let fields: (doc: number) => WeightedText[];
    if (writtenDocument) fields = (doc) => documentFields(writtenDocument(doc), true);
    else {
      const documents = source.documents();
      fields = (doc) => documentFields(documents[doc] as SearchDocument);
    }
    const { index, meaning } = buildInParallel(source.size, fields, vectors.vectors);
    return new PaperEngine({ index, fields: shortFieldsOf(source), meaning }, vectors);
  }

  get size(): number {
    return this.snapshot.index.docCount;
  }

  search(text: string, options: EngineSearchOptions): EngineHit[] {
    const limit = Math.max(0, Math.floor(options.limit));
    if (limit === 0) return [];
    const slots = planQuery(this.lookup, text);
    if (slots.length === 0) return [];
    const { ids } = this.snapshot.fields;
    const accept = options.accept;
    const acceptDoc = accept ? (doc: number) => accept(ids[doc] as string) : undefined;
    const wanted = limit;
    let ranked = rank(this.snapshot.index, slots, this.scratch, wanted, acceptDoc);
    if (!hasFullMatch(ranked) && addCorrections(this.lookup, slots)) {
      ranked = rank(this.snapshot.index, slots, this.scratch, wanted, acceptDoc);
    }
    return this.rescoreShortFields(text, ranked)
      .slice(0, limit)
      .map((r) => ({
        id: ids[r.doc] as string,
        doc: r.doc,
        score: r.score,
        matchedTerms: r.matched,
        coverage: r.coverage,
      }));
  }

  searchByMeaning(text: string, options: EngineSearchOptions): EngineHit[] | undefined {
    const limit = Math.max(0, Math.floor(options.limit));
    const meaning = this.resolveMeaning();
    if (!meaning) return undefined;
    if (limit === 0) return [];
    const { ids } = this.snapshot.fields;
    const accept = options.accept;
    const acceptDoc = accept ? (doc: number) => accept(ids[doc] as string) : undefined;
    return meaning.search(queryWords(text), limit, acceptDoc).map((hit) => ({
      id: ids[hit.doc] as string,
      doc: hit.doc,
      score: hit.score,
      matchedTerms: hit.matchedTerms,
      coverage: hit.coverage,
    }));
  }

  answerScorer(text: string): ((sentences: readonly string[]) => number[]) | undefined {
    const meaning = this.resolveMeaning();
    if (!meaning) return undefined;
    const slots = meaning.plan(queryWords(text));
    return slots.length ? meaning.sentenceScorer(slots) : undefined;
  }

  related(id: string, k: number, options: Pick<EngineSearchOptions, "accept"> = {}): RelatedHit[] {
    const meaning = this.resolveMeaning();
    if (!meaning) return [];
    const { ids } = this.snapshot.fields;
    const doc = ids.indexOf(id);
    const accept = options.accept;
    return meaning
      .related(doc, k, accept ? (other) => accept(ids[other] as string) : undefined)
      .map((r) => ({ id: ids[r.doc] as string, doc: r.doc, score: r.score, shared: r.shared }));
  }

  private rescoreShortFields(text: string, ranked: RankedDoc[]): RankedDoc[] {
    // Fuse only breaks ties within the best tier (same share of the query matched): it never
    // lifts a paper matching less of the query above one matching more.
    const bestCoverage = ranked[0]?.coverage ?? 0;
    let tier = 0;
    while (
      tier < ranked.length &&
      tier < FUSE_CANDIDATES &&
      (ranked[tier]?.coverage ?? 0) >= bestCoverage - 1e-6
    )
      tier++;
    if (tier < 2) return ranked;
    const words = queryWords(text);
    if (words.length === 0) return ranked;
    const head = ranked.slice(0, tier);
    const { fields } = this.snapshot;
    const records: ShortRecord[] = head.map((r) => {
      const { title, authors, venue } = fields.heading(r.doc);
      return { title, authors, venue };
    });
    const fuse = new Fuse(records, {
      keys: [
        { name: "title", weight: 2 },
        { name: "authors", weight: 1 },
        { name: "venue", weight: 0.5 },
      ],
      includeScore: true,
      ignoreDiacritics: true,
      ignoreLocation: true,
      useTokenSearch: true,
      threshold: 0.3,
    });
    const bonus = new Float64Array(head.length);
    for (const result of fuse.search(words.join(" "))) {
      bonus[result.refIndex] = 1 - (result.score ?? 1);
    }
    const rescored = head.map((r, i) => ({
      ...r,
      score: Math.min(1, r.score + FUSE_BONUS * (bonus[i] as number) * (1 - r.score)),
    }));
    rescored.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return rescored.concat(ranked.slice(tier));
  }
}

/** The short fields of a source, read from it on demand (sharing its strings; the source itself is not kept). */
export function shortFieldsOf(source: DocumentSource): ShortFields {
  return { ids: source.ids, heading: source.heading };
}

export function shortFieldsFromArrays(arrays: ShortFieldArrays): ShortFields {
  return {
    ids: arrays.ids,
    heading: (doc) => ({
      title: arrays.titles[doc] ?? "",
      authors: arrays.authors[doc] ?? "",
      venue: arrays.venues[doc] ?? "",
    }),
  };
}

export function shortFieldArrays(fields: ShortFields): ShortFieldArrays {
  const arrays: ShortFieldArrays = { ids: [...fields.ids], titles: [], authors: [], venues: [] };
  for (let doc = 0; doc < fields.ids.length; doc++) {
    const { title, authors, venue } = fields.heading(doc);
    arrays.titles.push(title);
    arrays.authors.push(authors);
    arrays.venues.push(venue);
  }
  return arrays;
}

/** A document's fields as indexed; `latexAbstract`: the abstract is as written, LaTeX still in it. */
export function documentFields(d: SearchDocument, latexAbstract = false): WeightedText[] {
  return [
    { text: d.title, weight: FIELD_WEIGHTS.title },
    { text: d.authors, weight: FIELD_WEIGHTS.authors },
    { text: d.venue, weight: FIELD_WEIGHTS.venue },
    { text: d.categories, weight: FIELD_WEIGHTS.categories },
    { text: d.abstract, weight: FIELD_WEIGHTS.abstract, latex: latexAbstract },
  ];
}

export const createPaperEngine: SearchEngineFactory = (source) => PaperEngine.fromSource(source);
