/** Turns a Paper into the plain-data views commands reply with (card, BibTeX, paper reply). */
import { absUrl, pdfUrl } from "./arxiv-id.ts";
import { latexToText } from "./latex.ts";
import { type Paper, paperYear } from "./paper.ts";
import type { IndexHit, IndexResults, RelatedResult } from "./paper-index.ts";
import type {
  Action,
  Invocation,
  PaperCard,
  PaperReply,
  ResultItem,
  ResultsReply,
  TextRun,
} from "./reply.ts";
import { foldText } from "./text.ts";

/** Derived titles are quoted and marked, so they never pass for the paper's real title. */
export function displayTitle(item: { title: string; titleDerived: boolean }): string {
  return item.titleDerived ? `“${item.title}” (untitled)` : item.title;
}

export function toPaperCard(paper: Paper): PaperCard {
  const card: PaperCard = {
    id: paper.id,
    title: paper.title,
    titleDerived: paper.titleDerived,
    authors: paper.authors,
    categories: paper.categories,
    abstract: latexToText(paper.abstract),
    links: { abs: absUrl(paper.id), pdf: pdfUrl(paper.id) },
  };
  if (paper.venue) card.venue = paper.venue;
  if (paper.published) card.published = paper.published;
  const year = paperYear(paper);
  if (year) card.year = year;
  if (paper.codeUrl) card.links.code = paper.codeUrl;
  return card;
}

function bibValue(text: string): string {
  return text.replace(/[{}\\]/g, "");
}

/** A BibTeX entry in the form arXiv and Google Scholar export, with the venue where known. */
export function toBibtex(paper: Paper): string {
  const year = paperYear(paper) ?? paper.venue?.match(/(?:19|20)\d{2}/)?.[0];
  const surname = foldText(paper.authors[0]?.split(/\s+/).pop() ?? "anon").replace(/[^a-z]/g, "");
  const firstWord = paper.titleDerived
    ? ""
    : (foldText(paper.title)
        .split(/[^a-z]+/)
        .find((word) => word.length > 3) ?? "");
  const fields: [string, string | undefined][] = [
    ["title", paper.titleDerived ? undefined : paper.title],
    ["author", paper.authors.length ? paper.authors.join(" and ") : undefined],
    paper.venue ? ["booktitle", paper.venue] : ["journal", `arXiv preprint arXiv:${paper.id}`],
    ["year", year ? String(year) : undefined],
    ["doi", paper.doi],
    ["eprint", paper.id],
    ["archivePrefix", "arXiv"],
    ["primaryClass", paper.categories[0]],
    ["url", absUrl(paper.id)],
  ];
  const body = fields
    .filter((field): field is [string, string] => Boolean(field[1]))
    .map(([name, value]) => `  ${name} = {${bibValue(value)}}`)
    .join(",\n");
  return `@${paper.venue ? "inproceedings" : "article"}{${surname}${year ?? ""}${firstWord},\n${body}\n}`;
}

export function paperActions(paper: Paper, view: PaperReply["view"], another?: Invocation): Action[] {
  const actions: Action[] = [];
  if (another) actions.push({ kind: "another", label: "Another", invoke: another });
  actions.push(
    view === "bibtex"
      ? {
          kind: "abstract",
          label: "Abstract",
          invoke: { command: "paper", text: paper.id, view: "abstract" },
        }
      : { kind: "bibtex", label: "BibTeX", invoke: { command: "paper", text: paper.id, view: "bibtex" } },
    { kind: "related", label: "Related", invoke: { command: "related", text: paper.id } },
  );
  return actions;
}

/** The rich single-paper reply shared by /paper, /random and daily posts. */
export function paperReply(
  paper: Paper,
  options: { heading?: string; view?: PaperReply["view"]; another?: Invocation } = {},
): PaperReply {
  const view = options.view ?? "abstract";
  const reply: PaperReply = {
    kind: "paper",
    paper: toPaperCard(paper),
    view,
    bibtex: toBibtex(paper),
    actions: paperActions(paper, view, options.another),
  };
  if (options.heading) reply.heading = options.heading;
  return reply;
}

export const PAGE_SIZE = 5;

function toResultItem(hit: IndexHit): ResultItem {
  const { paper } = hit;
  const item: ResultItem = {
    id: paper.id,
    title: paper.title,
    titleDerived: paper.titleDerived,
    authors: paper.authors,
    score: Math.round(hit.score * 1000) / 1000,
    snippet: hit.snippet,
    url: absUrl(paper.id),
  };
  if (paper.venue) item.venue = paper.venue;
  const year = paperYear(paper);
  if (year) item.year = year;
  if (hit.answer) item.answer = hit.answer;
  return item;
}

/** A page of search or ask results with Previous/Next actions that re-run the same command. */
export function resultsReply(
  mode: ResultsReply["mode"],
  query: string,
  results: IndexResults,
  page: number,
  pageSize = PAGE_SIZE,
): ResultsReply {
  const actions: Action[] = [];
  if (page > 1)
    actions.push({
      kind: "previous",
      label: "Previous",
      invoke: { command: mode, text: query, page: page - 1 },
    });
  if (page * pageSize < results.total) {
    actions.push({
      kind: "next",
      label: "Next page",
      invoke: { command: mode, text: query, page: page + 1 },
    });
  }
  return {
    kind: "results",
    mode,
    query,
    filters: results.filters,
    hits: results.hits.map(toResultItem),
    page,
    pageSize,
    total: results.total,
    actions,
  };
}

/** Papers near `paper` by meaning, in the results shape; each one's snippet names the words both use. */
export function relatedReply(paper: Paper, related: readonly RelatedResult[]): ResultsReply {
  const hits = related.map((near) => ({
    ...toResultItem({
      paper: near.paper,
      // Cosine, shown like the other scores: 0..1.
      score: Math.max(0, Math.min(1, near.score)),
      snippet: sharedRuns(near.shared),
      matchedTerms: near.shared,
    }),
    shared: near.shared,
  }));
  return {
    kind: "results",
    mode: "related",
    query: displayTitle(paper),
    filters: [],
    hits,
    page: 1,
    pageSize: Math.max(1, hits.length),
    total: hits.length,
    actions: [],
  };
}

function sharedRuns(shared: readonly string[]): TextRun[] {
  if (shared.length === 0) return [{ text: "Close in meaning, with no telling word in common." }];
  const runs: TextRun[] = [{ text: "Both about: " }];
  shared.forEach((word, index) => {
    if (index > 0) runs.push({ text: ", " });
    runs.push({ text: word, match: true });
  });
  return runs;
}
