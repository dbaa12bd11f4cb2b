/**
 * Enough of arXiv's search_query language for the fake: `ti:` `au:` `abs:` `co:` `jr:` `cat:` `all:`
 * terms (a word or a "quoted phrase"), `submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]`, AND, OR,
 * ANDNOT and parentheses. As at arXiv, AND and ANDNOT bind tighter than OR, and two terms with no
 * operator between them are OR'ed. Matching is loose like arXiv's: `au:` takes each word of the name
 * (underscores count as spaces) as the start of a word of one author's name, so `au:bachmann`,
 * `au:Bachmann_G` and `au:"Gregor Bachmann"` all find Gregor Bachmann.
 */
import type { FakePaper } from "./atom-feed.ts";

export type PaperMatcher = (paper: FakePaper) => boolean;

export class FakeQueryError extends Error {}

const OPERATORS = new Set(["AND", "OR", "ANDNOT"]);

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i] as string;
    if (/\s/.test(char)) {
      i++;
    } else if (char === "(" || char === ")") {
      tokens.push(char);
      i++;
    } else {
      let token = "";
      while (i < query.length && !/[\s()]/.test(query[i] as string)) {
        const close = query[i] === '"' ? '"' : query[i] === "[" ? "]" : undefined;
        const end = close ? query.indexOf(close, i + 1) : -1;
        if (close && end < 0) throw new FakeQueryError(`unclosed ${query[i]} in ${query}`);
        token += close ? query.slice(i, end + 1) : query[i];
        i = close ? end + 1 : i + 1;
      }
      tokens.push(token);
    }
  }
  return tokens;
}

function words(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function containsPhrase(text: string, phrase: string): boolean {
  const haystack = words(text);
  const needle = words(phrase);
  if (needle.length === 0) return false;
  return haystack.some((_, start) => needle.every((word, k) => haystack[start + k] === word));
}

function authorNames(paper: FakePaper): string[] {
  return paper.authors.map((author) => (typeof author === "string" ? author : author.name));
}

function matchesAuthor(paper: FakePaper, value: string): boolean {
  const wanted = words(value.replace(/_/g, " "));
  return authorNames(paper).some((name) => {
    const parts = words(name);
    return wanted.length > 0 && wanted.every((word) => parts.some((part) => part.startsWith(word)));
  });
}

function matchesCategory(paper: FakePaper, value: string): boolean {
  const wanted = value.toLowerCase();
  const prefix = wanted.endsWith("*") ? wanted.slice(0, -1) : undefined;
  return paper.categories.some((category) =>
    prefix === undefined ? category.toLowerCase() === wanted : category.toLowerCase().startsWith(prefix),
  );
}

function submittedStamp(paper: FakePaper): string {
  return new Date(paper.submitted).toISOString().replace(/\D/g, "").slice(0, 12);
}

function termMatcher(token: string): PaperMatcher {
  const colon = token.indexOf(":");
  const field = colon < 0 ? "all" : token.slice(0, colon);
  const value = (colon < 0 ? token : token.slice(colon + 1)).replace(/^"(.*)"$/, "$1").trim();
  if (value === "") throw new FakeQueryError(`empty term in ${token}`);
  switch (field) {
    case "ti":
      return (paper) => containsPhrase(paper.title, value);
    case "abs":
      return (paper) => containsPhrase(paper.abstract, value);
    case "co":
      return (paper) => containsPhrase(paper.comment ?? "", value);
    case "jr":
      return (paper) => containsPhrase(paper.journalRef ?? "", value);
    case "au":
      return (paper) => matchesAuthor(paper, value);
    case "cat":
      return (paper) => matchesCategory(paper, value);
    case "all":
      return (paper) =>
        [paper.title, paper.abstract, paper.comment ?? "", paper.journalRef ?? ""].some((text) =>
          containsPhrase(text, value),
        ) ||
        matchesAuthor(paper, value) ||
        matchesCategory(paper, value);
    case "submittedDate": {
      const range = value.match(/^\[(\d{12}) TO (\d{12})\]$/);
      if (!range) throw new FakeQueryError(`bad date range ${value}`);
      const [, from = "", to = ""] = range;
      return (paper) => submittedStamp(paper) >= from && submittedStamp(paper) <= to;
    }
    default:
      throw new FakeQueryError(`unknown field ${field}`);
  }
}

/** Parses a search_query into a predicate; throws FakeQueryError where arXiv would answer an error. */
export function parseFakeQuery(query: string): PaperMatcher {
  const tokens = tokenize(query);
  let position = 0;
  const peek = () => tokens[position];

  const primary = (): PaperMatcher => {
    const token = tokens[position++];
    if (token === undefined) throw new FakeQueryError(`query ends too early: ${query}`);
    if (token === "(") {
      const inner = anyOf();
      if (tokens[position++] !== ")") throw new FakeQueryError(`missing ) in ${query}`);
      return inner;
    }
    if (token === ")" || OPERATORS.has(token)) throw new FakeQueryError(`unexpected ${token} in ${query}`);
    return termMatcher(token);
  };
  const allOf = (): PaperMatcher => {
    let left = primary();
    for (let op = peek(); op === "AND" || op === "ANDNOT"; op = peek()) {
      position++;
      const [a, b] = [left, primary()];
      left = op === "AND" ? (paper) => a(paper) && b(paper) : (paper) => a(paper) && !b(paper);
    }
    return left;
  };
  const anyOf = (): PaperMatcher => {
    let left = allOf();
    for (let next = peek(); next !== undefined && next !== ")"; next = peek()) {
      if (next === "OR") position++;
      const [a, b] = [left, allOf()];
      left = (paper) => a(paper) || b(paper);
    }
    return left;
  };

  const matcher = anyOf();
  if (position < tokens.length) throw new FakeQueryError(`unexpected ${peek()} in ${query}`);
  return matcher;
}
