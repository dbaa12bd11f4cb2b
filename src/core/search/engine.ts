/**
 * The seam between paperbot and a text search engine. `PaperIndex` turns papers into
 * documents, handles ids and filters, and asks an engine for ranked ids.
 */
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

export type SearchEngineFactory = (documents: readonly SearchDocument[]) => SearchEngine;
