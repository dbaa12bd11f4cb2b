/**
 * What a command answers: plain data, no markup. Each adapter renders it for its platform
 * (escaping, limits, buttons). Text fields are plain text; renderers escape them.
 */
import type { ErrorCode } from "./errors.ts";

/** A command run again with different arguments: what a button or "next page" does. */
export interface Invocation {
  command: string;
  text: string;
  page?: number;
  view?: "abstract" | "bibtex";
}

export type ActionKind = "previous" | "next" | "another" | "abstract" | "bibtex" | "related";

export interface Action {
  kind: ActionKind;
  label: string;
  invoke: Invocation;
}

/** A run of text; `match` marks words that matched the query, for bold/highlight. */
export interface TextRun {
  text: string;
  match?: boolean;
}

export interface PaperLinks {
  abs: string;
  pdf: string;
  code?: string;
}

export interface PaperCard {
  id: string;
  title: string;
  /** True when the title was derived from the abstract: render it so it does not pass for the real title. */
  titleDerived: boolean;
  authors: string[];
  venue?: string;
  published?: string;
  year?: number;
  categories: string[];
  /** Plain text, LaTeX already made readable. */
  abstract: string;
  links: PaperLinks;
}

export interface PaperReply {
  kind: "paper";
  /** e.g. "Paper of the day", "Random paper". */
  heading?: string;
  paper: PaperCard;
  /** What the body shows: the abstract (default) or the BibTeX entry. */
  view: "abstract" | "bibtex";
  bibtex: string;
  actions: Action[];
  /** For `add`: true when the paper is new to the library, false when it was already there. */
  added?: boolean;
}

export interface ResultItem {
  id: string;
  title: string;
  titleDerived: boolean;
  authors: string[];
  venue?: string;
  year?: number;
  /** 0..1, higher is better; comparable across queries. */
  score: number;
  snippet: TextRun[];
  /** For `ask`: the abstract sentence that best answers the question. */
  answer?: string;
  /** For `related`: the most telling words this paper shares with the one asked about. */
  shared?: string[];
  url: string;
}

export interface ResultsReply {
  kind: "results";
  /** "search" lists hits; "ask" answers a question with them; "related" lists papers near `query`'s paper by meaning. */
  mode: "search" | "ask" | "related";
  query: string;
  /** Filters understood from the query, for "showing papers by X in 2023" lines. */
  filters: string[];
  hits: ResultItem[];
  /** 1-based. */
  page: number;
  pageSize: number;
  total: number;
  actions: Action[];
}

export interface MessageReply {
  kind: "message";
  tone: "info" | "error";
  text: string;
  hint?: string;
  code?: ErrorCode;
  /** Errors and hints are shown only to the asker where the platform allows it. */
  ephemeral: boolean;
}

export type Reply = PaperReply | ResultsReply | MessageReply;

export function messageReply(
  text: string,
  options: Partial<Omit<MessageReply, "kind" | "text">> = {},
): MessageReply {
  return { kind: "message", tone: "info", ephemeral: false, ...options, text };
}
