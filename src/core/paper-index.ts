/**
 * The corpus as commands see it: exact id lookup in every pasted form, filtered and fuzzy
 * search through a pluggable engine, questions (answered by words and by meaning), papers
 * related by meaning, random picks and autocomplete.
 */
import { parseArxivId } from "./arxiv-id.ts";
import { UserError } from "./errors.ts";
import { cleanInput, hasSearchableText } from "./input.ts";
import { latexToText } from "./latex.ts";
import type { Logger } from "./logger.ts";
import { nextTurn } from "./next-turn.ts";
import type { Paper } from "./paper.ts";
import type { TextRun } from "./reply.ts";
import { bestSentence } from "./search/best-sentence.ts";
import type { EngineHit, SearchEngine, SearchEngineFactory } from "./search/engine.ts";
import { termOf, textTerms } from "./search/normalize.ts";
import { createPaperEngine } from "./search/paper-engine.ts";
import { paperSource } from "./search/paper-source.ts";
import { hasFilters, matchesFilters, parseQuery } from "./search/query.ts";
import { listedNames, type QuestionContext, questionToQuery } from "./search/question.ts";
import { fuseHits } from "./search/semantic/fusion.ts";
import { tellOnce } from "./search/semantic/meaning-notice.ts";
import { snippetRuns } from "./search/snippet.ts";
import { foldText } from "./text.ts";

export interface IndexHit {
  paper: Paper;
  /** 0..1, higher is better. */
  score: number;
  snippet: TextRun[];
  matchedTerms: string[];
  /** For questions: the abstract sentence that best answers it. */
  answer?: string;
}

export interface IndexResults {
  hits: IndexHit[];
  total: number;
  /** Filters understood from the query, described for people. */
  filters: string[];
}

interface RankedPaper {
  paper: Paper;
  score: number;
  matchedTerms: string[];
}

export interface PaperIndexOptions {
  /** Builds (or restores) the search engine; it asks for documents only if it really builds. */
  engine?: SearchEngineFactory;
  /** Where to say (once) that questions are answered by their words only, and why. Default: stderr. */
  logger?: Logger;
}

/** A paper near another by meaning. */
export interface RelatedResult {
  paper: Paper;
  /** Cosine of the two papers' vectors, -1..1. */
  score: number;
  /** The most telling words both papers use. */
  shared: string[];
}

/** How a query uses meaning: not at all, only when its words find nothing (search), or always (questions). */
type MeaningUse = "off" | "fallback" | "fuse";

export interface PageOptions {
  offset?: number;
  limit?: number;
}

/** Results beyond this are not ranked: nobody pages past twenty pages of five. */
export const MAX_RESULTS = 100;
const SNIPPET_CHARS = 160;
/** Words shown per related paper. */
const SHARED_WORDS = 3;
/** Papers mapped by id per turn of the event loop in `PaperIndex.inSlices`: a few milliseconds' work. */
const ID_SLICE = 10_000;
const SEARCH_HINT =
  "Try a few words (/search hessian rank), an arXiv id, or filters such as author:Bachmann year:2023.";

/**
 * The venues and authors of a list of papers, for lists that know them without reading every paper
 * (papers from a corpus snapshot, which holds them indexed: see snapshot-format.ts).
 */
export const corpusNames = new WeakMap<readonly Paper[], QuestionContext>();

export class PaperIndex {
  private readonly papers: readonly Paper[];
  /** Papers by id, made on first use (a search maps its hits by place instead; see `paperOf`). */
  private byIdMap?: Map<string, Paper>;
  private readonly engine: SearchEngine;
  private context?: QuestionContext;
  private readonly logger?: Logger;

  /** `byId`, when given, maps exactly these papers by id (see `inSlices`). */
  constructor(papers: readonly Paper[], options: PaperIndexOptions = {}, byId?: Map<string, Paper>) {
    this.papers = papers;
    this.byIdMap = byId;
    // The source (and any documents it makes) is dropped after this: plain abstracts are made
    // again, per shown hit, by plainAbstract().
    const source = paperSource(papers);
    this.engine = (options.engine ?? createPaperEngine)(source);
    source.afterBuild();
    this.logger = options.logger;
    this.tellMeaning();
  }

  /**
   * The same index, its papers mapped by id a slice per turn of the event loop, so a serving
   * process (a reload's swap) is never stalled long; give it an engine that is already made.
   */
  static async inSlices(papers: readonly Paper[], options: PaperIndexOptions = {}): Promise<PaperIndex> {
    const byId = new Map<string, Paper>();
    for (let start = 0; start < papers.length; start += ID_SLICE) {
      const end = Math.min(papers.length, start + ID_SLICE);
      for (let i = start; i < end; i++) byId.set((papers[i] as Paper).id, papers[i] as Paper);
      await nextTurn();
    }
    return new PaperIndex(papers, options, byId);
  }

  private get byId(): Map<string, Paper> {
    if (!this.byIdMap) {
      this.byIdMap = new Map();
      for (const paper of this.papers) this.byIdMap.set(paper.id, paper);
    }
    return this.byIdMap;
  }

  /** The paper of an engine's hit: by its place when the engine gives it (and it agrees), else by id. */
  private paperOf(hit: { id: string; doc?: number }): Paper | undefined {
    const placed = hit.doc === undefined ? undefined : this.papers[hit.doc];
    return placed?.id === hit.id ? placed : this.byId.get(hit.id);
  }

  /** Says once in the log when questions are answered by their words only (known when the vectors were needed). */
  private tellMeaning(): void {
    const { meaningProblem, meaningWarning } = this.engine;
    if (meaningProblem)
      tellOnce(`questions are answered by their words only: ${meaningProblem}`, this.logger);
    if (meaningWarning) tellOnce(meaningWarning, this.logger);
  }

  /** Venues and authors questions may name; gathered on the first question, not at start. */
  private get questionContext(): QuestionContext {
    this.context ??= corpusNames.get(this.papers);
    if (!this.context) {
      const venues = new Set<string>();
      const authors = new Set<string>();
      for (const paper of this.papers) {
        if (paper.venue) venues.add(paper.venue);
        for (const author of paper.authors) authors.add(author);
      }
      this.context = listedNames([...venues], [...authors]);
    }
    return this.context;
  }

  get size(): number {
    return this.papers.length;
  }

  all(): readonly Paper[] {
    return this.papers;
  }

  /** Exact lookup by arXiv id in any pasted form (versions collapse). */
  get(idText: string): Paper | undefined {
    const id = parseArxivId(idText);
    return id ? this.byId.get(id.id) : undefined;
  }

  /** An id, or the best match for title words; throws a friendly not_found otherwise. */
  find(text: string): Paper {
    const cleaned = cleanInput(text);
    if (!cleaned)
      throw new UserError(
        "empty_query",
        "Which paper? Give an arXiv id or some title words.",
        "For example /paper 2305.09088",
      );
    const id = parseArxivId(cleaned);
    if (id) {
      const paper = this.byId.get(id.id);
      if (!paper)
        throw new UserError(
          "not_found",
          `No paper with id ${id.id} here.`,
          "Try /search with some words from it.",
        );
      return paper;
    }
    const top = this.search(cleaned, { limit: 1 }).hits[0];
    if (!top) throw new UserError("not_found", "No paper matches that.", SEARCH_HINT);
    return top.paper;
  }

  /** Words and filters; when the words find nothing, papers that mean them (sky surveys -> galaxy redshift surveys). */
  search(query: string, page: PageOptions = {}): IndexResults {
    return this.page(query, page, "fallback");
  }

  private page(query: string, page: PageOptions, meaning: MeaningUse): IndexResults {
    const offset = page.offset ?? 0;
    const limit = page.limit ?? 5;
    const { ranked, filters } = this.rank(query, MAX_RESULTS, meaning);
    return {
      hits: ranked
        .slice(offset, offset + limit)
        .map((hit) => this.hit(hit.paper, hit.score, hit.matchedTerms)),
      total: ranked.length,
      filters,
    };
  }

  /** A question in plain language: the best papers, each with the sentence that best answers it. */
  ask(question: string, page: PageOptions = {}): IndexResults {
    const cleaned = cleanInput(question, "question");
    const query = parseArxivId(cleaned) ? cleaned : questionToQuery(cleaned, this.questionContext);
    if (!query || !hasSearchableText(query)) {
      throw new UserError(
        "empty_query",
        "What would you like to know?",
        "Ask about a topic, e.g. anything on cold posteriors?",
      );
    }
    const results = this.page(query, page, "fuse");
    const text = parseQuery(query).text;
    const questionTerms = text.split(/\s+/);
    // The same meaning that found the papers picks the sentence (a paraphrase gets the one it paraphrases).
    const byMeaning = text ? this.engine.answerScorer?.(text) : undefined;
    for (const hit of results.hits) {
      hit.answer = bestSentence(
        this.plainAbstract(hit.paper),
        [...questionTerms, ...hit.matchedTerms],
        byMeaning,
      );
    }
    return results;
  }

  /**
   * The `k` papers nearest a paper (any pasted id form) by meaning, only those that are near (so
   * maybe fewer, or none); empty when meaning is off. Each comes with the words that carry the
   * closeness, taken only from both papers' titles and abstracts (never an author, venue or category).
   */
  /** Why meaning is off (the word vectors could not be loaded), once that is known; undefined while it works. */
  get meaningProblem(): string | undefined {
    return this.engine.meaningProblem;
  }

  relatedPapers(idText: string, k = 5): RelatedResult[] {
    const paper = this.get(idText);
    if (!paper || !this.engine.related) return [];
    const related = this.engine.related(paper.id, k);
    this.tellMeaning();
    const own = this.contentTerms(paper);
    return related.flatMap((hit) => {
      const other = this.paperOf(hit);
      if (!other) return [];
      const theirs = this.contentTerms(other);
      const shared = hit.shared
        .filter((word) => {
          const term = termOf(foldText(word));
          return own.has(term) && theirs.has(term);
        })
        .slice(0, SHARED_WORDS);
      return [{ paper: other, score: hit.score, shared }];
    });
  }

  /** Index terms of a paper's title and abstract. */
  private contentTerms(paper: Paper): Set<string> {
    return new Set(textTerms(`${paper.title} ${this.plainAbstract(paper)}`));
  }

  /** Every paper that passes the filters and words in `text` (all papers for empty text), uncapped. */
  filter(text: string): Paper[] {
    if (!cleanInput(text)) return [...this.papers];
    return this.rank(text, this.papers.length).ranked.map((hit) => hit.paper);
  }

  random(filterText: string, random: () => number): Paper | undefined {
    const pool = filterText.trim() ? this.filter(filterText) : this.papers;
    return pool[Math.floor(random() * pool.length)];
  }

  /** Autocomplete: id prefixes, then title words as typed, then fuzzy matches. Never throws. */
  suggest(prefix: string, limit = 25): { id: string; title: string }[] {
    const typed = foldText(prefix.replace(/\s+/g, " ").trim()).slice(0, 100);
    const picked = new Map<string, Paper>();
    const add = (paper: Paper) => picked.size < limit && picked.set(paper.id, paper);
    if (!typed) this.papers.slice(0, limit).forEach(add);
    const id = parseArxivId(prefix);
    const idPaper = id && this.byId.get(id.id);
    if (idPaper) add(idPaper);
    if (/^[\d.]+$/.test(typed)) for (const paper of this.papers) if (paper.id.startsWith(typed)) add(paper);
    const words = typed.split(" ").filter(Boolean);
    if (words.length) {
      for (const paper of this.papers) {
        if (picked.size >= limit) break;
        const title = ` ${foldText(paper.title)}`;
        if (words.every((word) => title.includes(` ${word}`))) add(paper);
      }
    }
    if (picked.size < limit && words.length && hasSearchableText(typed)) {
      try {
        for (const hit of this.search(prefix, { limit }).hits) add(hit.paper);
      } catch {
        // A half-typed query may not parse yet (e.g. "year:20"); the matches so far are the answer.
      }
    }
    return [...picked.values()].map((paper) => ({ id: paper.id, title: paper.title }));
  }

  /** The abstract without LaTeX, made on demand: only the handful of hits shown need it. */
  plainAbstract(paper: Paper): string {
    return latexToText(paper.abstract);
  }

  /** Ids, filters and words -> papers, best first; throws a friendly UserError for unusable input. */
  private rank(
    query: string,
    limit: number,
    meaning: MeaningUse = "off",
  ): { ranked: RankedPaper[]; filters: string[] } {
    const cleaned = cleanInput(query);
    if (!cleaned) throw new UserError("empty_query", "Tell me what to look for.", SEARCH_HINT);
    const id = parseArxivId(cleaned);
    if (id) {
      const paper = this.byId.get(id.id);
      return { ranked: paper ? [{ paper, score: 1, matchedTerms: [] }] : [], filters: [] };
    }
    const parsed = parseQuery(cleaned);
    const filtered = hasFilters(parsed.filters);
    if (!parsed.text && !filtered)
      throw new UserError("empty_query", "Tell me what to look for.", SEARCH_HINT);
    if (parsed.text && !hasSearchableText(parsed.text)) {
      throw new UserError("bad_input", "There's nothing to search for in that.", SEARCH_HINT);
    }
    if (!parsed.text) {
      const ranked = this.papers
        .filter((paper) => matchesFilters(paper, parsed.filters))
        .slice(0, limit)
        .map((paper) => ({ paper, score: 1, matchedTerms: [] }));
      return { ranked, filters: parsed.described };
    }
    const accept = filtered ? (paperId: string) => this.accepts(paperId, parsed.filters) : undefined;
    let hits: EngineHit[] = this.engine.search(parsed.text, { limit, accept });
    const byMeaning = this.engine.searchByMeaning?.bind(this.engine);
    if (byMeaning && (meaning === "fuse" || (meaning === "fallback" && hits.length === 0))) {
      const meant = byMeaning(parsed.text, { limit, accept });
      if (meant) hits = fuseHits(hits, meant, limit);
      this.tellMeaning();
    }
    const ranked = hits.flatMap((hit) => {
      const paper = this.paperOf(hit);
      return paper ? [{ paper, score: hit.score, matchedTerms: hit.matchedTerms }] : [];
    });
    return { ranked, filters: parsed.described };
  }

  private accepts(paperId: string, filters: Parameters<typeof matchesFilters>[1]): boolean {
    const paper = this.byId.get(paperId);
    return paper !== undefined && matchesFilters(paper, filters);
  }

  private hit(paper: Paper, score: number, matchedTerms: string[]): IndexHit {
    return {
      paper,
      score,
      matchedTerms,
      snippet: snippetRuns(this.plainAbstract(paper), matchedTerms, SNIPPET_CHARS),
    };
  }
}
