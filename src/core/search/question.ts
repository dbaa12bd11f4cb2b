/**
 * Turns a plain-language question into a query: "papers by Gregor Bachmann" -> author filter,
 * "what did we publish at ICML 2023?" -> venue and year filters, question words dropped.
 */
import { foldText } from "../text.ts";

const QUESTION_WORDS = new Set(
  (
    "a an the and or of in on for to by with about regarding concerning is are was were be been do does did done " +
    "we us our you your i me my anyone anybody someone somebody here there this that these those it its " +
    "what which who whom whose where when why how any anything something some have has had got " +
    "paper papers work works article articles publication publications published publish research study studies " +
    "show find tell give list know looking look search please can could would should will may might " +
    "lab group team ever yet also just all more most thing things stuff on topic topics related relating"
  ).split(" "),
);

export interface QuestionContext {
  /** Venue names in the corpus, e.g. "ICML 2023", "CVPRW 2023". */
  venues: readonly string[];
  /** Author names in the corpus. */
  authors: readonly string[];
}

/** Authors by the first word of their folded name, made once per context: a question only checks names it may hold. */
interface PreparedAuthors {
  folded: string[];
  byFirstWord: Map<string, number[]>;
  /** Venue acronyms the corpus knows ("icml", "cvprw"). */
  acronyms: Set<string>;
}
const prepared = new WeakMap<QuestionContext, PreparedAuthors>();

function preparedAuthors(context: QuestionContext): PreparedAuthors {
  let found = prepared.get(context);
  if (!found) {
    const folded = context.authors.map((author) => foldText(author));
    const byFirstWord = new Map<string, number[]>();
    folded.forEach((name, i) => {
      const first = name.split(" ", 1)[0] ?? "";
      const list = byFirstWord.get(first);
      if (list) list.push(i);
      else byFirstWord.set(first, [i]);
    });
    const acronyms = new Set(
      context.venues.map((venue) => foldText(venue.split(/\s+/)[0] ?? "")).filter((word) => word.length >= 3),
    );
    found = { folded, byFirstWord, acronyms };
    prepared.set(context, found);
  }
  return found;
}

function quote(value: string): string {
  return `"${value.replace(/"/g, "")}"`;
}

export function questionToQuery(question: string, context: QuestionContext): string {
  let text = ` ${question.replace(/[?!]+/g, " ")} `;
  const filters: string[] = [];

  // Known authors named in full (or by a distinctive surname after "by"), in corpus order.
  const folded = foldText(text);
  const authors = preparedAuthors(context);
  const candidates = new Set<number>();
  for (const word of folded.split(" "))
    for (const i of authors.byFirstWord.get(word) ?? []) candidates.add(i);
  for (const i of [...candidates].sort((a, b) => a - b)) {
    const author = context.authors[i] as string;
    const name = authors.folded[i] as string;
    const at = folded.indexOf(` ${name}`);
    if (at >= 0) {
      filters.push(`author:${quote(author)}`);
      text = text.slice(0, at) + " ".repeat(name.length + 1) + text.slice(at + name.length + 1);
    }
  }
  text = text.replace(/\bby\s+((?:[\p{Lu}][\p{L}'-]+\s*){1,3})/gu, (_whole, name: string) => {
    filters.push(`author:${quote(name.trim())}`);
    return " ";
  });

  // Venue acronyms the corpus knows ("ICML", "CVPRW"), optionally with a year.
  const { acronyms } = authors;
  text = text.replace(
    /(?:\b(?:at|in|from|for)\s+)?\b([\p{L}]{3,})(?:\s*'?((?:19|20)\d{2}))?\b/gu,
    (whole, word: string, year?: string) => {
      if (!acronyms.has(foldText(word))) return whole;
      filters.push(`venue:${quote(word)}`);
      if (year) filters.push(`year:${year}`);
      return " ";
    },
  );
  text = text.replace(/\b(?:in|from|during|of|since)\s+((?:19|20)\d{2})\b/g, (_whole, year: string) => {
    filters.push(`year:${year}`);
    return " ";
  });

  const words = text
    .split(/\s+/)
    .filter((word) => word && !QUESTION_WORDS.has(foldText(word).replace(/[^\p{L}\p{N}-]/gu, "")));
  return [...words, ...filters].join(" ").trim();
}
