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
  /**
   * The corpus's authors whose folded name begins with the folded word `first`, each with its place
   * in corpus order: a question only checks the names it may hold.
   */
  authorsStartingWith(first: string): readonly NamedAuthor[];
}

export interface NamedAuthor {
  order: number;
  name: string;
}

/** The first word of a name, folded: what `authorsStartingWith` is asked by. */
export const firstWordOf = (name: string): string => foldText(name).split(" ", 1)[0] ?? "";

/** A context over plain lists (authors in corpus order), indexed by first word when first asked. */
export function listedNames(venues: readonly string[], authors: readonly string[]): QuestionContext {
  let byFirstWord: Map<string, NamedAuthor[]> | undefined;
  return {
    venues,
    authorsStartingWith(first) {
      if (!byFirstWord) {
        const index = new Map<string, NamedAuthor[]>();
        authors.forEach((name, order) => {
          const word = firstWordOf(name);
          const list = index.get(word);
          if (list) list.push({ order, name });
          else index.set(word, [{ order, name }]);
        });
        byFirstWord = index;
      }
      return byFirstWord.get(first) ?? [];
    },
  };
}

/** Venue acronyms the corpus knows ("icml", "cvprw"), made once per context. */
const acronymsOf = new WeakMap<QuestionContext, Set<string>>();

function venueAcronyms(context: QuestionContext): Set<string> {
  let found = acronymsOf.get(context);
  if (!found) {
    found = new Set(
      context.venues.map((venue) => foldText(venue.split(/\s+/)[0] ?? "")).filter((word) => word.length >= 3),
    );
    acronymsOf.set(context, found);
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
  const candidates = new Map<number, string>();
  for (const word of folded.split(" "))
    for (const { order, name } of context.authorsStartingWith(word)) candidates.set(order, name);
  for (const [, author] of [...candidates].sort((a, b) => a[0] - b[0])) {
    const name = foldText(author);
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
  const acronyms = venueAcronyms(context);
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
