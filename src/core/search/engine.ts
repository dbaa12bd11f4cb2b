/**
 * The seam between paperbot and a text search engine. `PaperIndex` turns papers into
 * documents, handles ids and filters, and asks an engine for ranked ids.
 */
import { createHash } from "node:crypto";
export interface SearchDocument {
  id: string;
  title: string;
  authors: string;
  venue: string;
  categories: string;
  /** Plain text (LaTeX removed). */
  abstract: string;
}

export interface EngineHit {
  id: string;
  /** The document's place in the source the engine was made from, when the engine knows it. */
  doc?: number;
  /** 0..1, higher is better, comparable across queries. Hits below the engine's relevance floor are not returned. */
  score: number;
  /** Query terms as they matched in the documents (after typo correction), for highlighting snippets. */
  matchedTerms: string[];
  /** Share of the query's weight the document holds, 0..1 (1: every word), when the engine knows it. */
  coverage?: number;
}

export interface EngineSearchOptions {
  limit: number;
  /** Only documents passing this are returned (filters such as year: or author:). */
  accept?: (id: string) => boolean;
}

/** A paper near another by meaning, with the words both use that say most. */
export interface RelatedHit {
  id: string;
  /** As EngineHit's. */
  doc?: number;
  /** Cosine of the two papers' vectors, -1..1. */
  score: number;
  shared: string[];
}

export interface SearchEngine {
  search(text: string, options: EngineSearchOptions): EngineHit[];
  /**
   * Papers answering the words by meaning as well as by the words themselves (a paper written
   * with other words for the same things), above the engine's floor for meaning. Undefined when
   * the engine cannot answer by meaning now (no word vectors); engines without it answer lexically only.
   */
  searchByMeaning?(text: string, options: EngineSearchOptions): EngineHit[] | undefined;
  /** Scores sentences 0..1 by how well each answers `text` in meaning (for picking the answer sentence). */
  answerScorer?(text: string): ((sentences: readonly string[]) => number[]) | undefined;
  /** The `k` papers nearest paper `id` by meaning. */
  related?(id: string, k: number, options?: Pick<EngineSearchOptions, "accept">): RelatedHit[];
  /** Why this engine answers lexically only although it could answer by meaning (told once in the log). */
  readonly meaningProblem?: string;
  /** Answers by meaning, but something about it is worth a warning (told once in the log). */
  readonly meaningWarning?: string;
}

/** A document without its abstract: the fields that cost nothing to produce. */
export type DocumentHeading = Omit<SearchDocument, "abstract">;

/**
 * What an engine is built from. Documents are made on demand (cleaning the LaTeX out of every
 * abstract is the costly part), so an engine restored from disk never makes them at all.
 */
export interface DocumentSource {
  readonly size: number;
  /** Document ids in order. */
  readonly ids: readonly string[];
  /** Document i without the abstract; cheap. */
  heading(doc: number): DocumentHeading;
  /** Every document, made on the first call and kept by the caller only as long as it needs them. */
  documents(): readonly SearchDocument[];
  /**
   * Document i with its abstract as written, where making the document only cleans the abstract's
   * LaTeX (latexToText): an engine then cleans each abstract as it indexes it, in whichever thread
   * indexes it, instead of making every document first.
   */
  writtenDocument?(doc: number): SearchDocument;
  /** Identifies the documents cheaply (from what they are made of): equal fingerprints, equal documents. */
  fingerprint(): string;
}

export type SearchEngineFactory = (source: DocumentSource) => SearchEngine;

/** A source over documents already made (tests, benchmarks, other engines). */
export function documentSource(documents: readonly SearchDocument[]): DocumentSource {
  let fingerprint: string | undefined;
  return {
    size: documents.length,
    ids: documents.map((d) => d.id),
    heading: (doc) => documents[doc] as SearchDocument,
    documents: () => documents,
    fingerprint: () => {
      if (fingerprint === undefined) {
        const hash = createHash("sha1");
        for (const d of documents) {
          hash.update(`${d.id}\u0000${d.title}\u0000${d.authors}\u0000${d.venue}\u0000${d.categories}\u0000`);
          hash.update(`${d.abstract}\u0001`);
        }
        fingerprint = hash.digest("hex");
      }
      return fingerprint;
    },
  };
}
