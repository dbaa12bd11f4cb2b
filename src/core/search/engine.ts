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
  /** 0..1, higher is better, comparable across queries. Hits below the engine's relevance floor are not returned. */
  score: number;
  /** Query terms as they matched in the documents (after typo correction), for highlighting snippets. */
  matchedTerms: string[];
}

export interface EngineSearchOptions {
  limit: number;
  /** Only documents passing this are returned (filters such as year: or author:). */
  accept?: (id: string) => boolean;
}

export interface SearchEngine {
  search(text: string, options: EngineSearchOptions): EngineHit[];
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
