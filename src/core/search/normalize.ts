/**
 * Text -> search terms. Every side that compares words (index, query, snippets, best
 * sentence) goes through these functions, so a rewrite only has to be consistent, not
 * linguistically right: "noise" -> "noize" is harmless as long as both sides do it.
 *
 * Pipeline per word: fold (NFKD, drop accents, lowercase) -> American spelling -> light stem.
 * The folded + Americanised word is the "surface" form (typo candidates are computed on it,
 * because a typo hits the written word, not its stem); its stem is the index term.
 */
import { NON_ASCII } from "../text.ts";
import { americanize } from "./spelling.ts";

const COMBINING_MARKS = /\p{M}+/gu;
const ASCII_WORD = /[a-z0-9]+/g;
const UNICODE_WORD = /[\p{L}\p{N}]+/gu;
/** Letters NFKD does not split into base + accent. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: "ss",
  ø: "o",
  æ: "ae",
  œ: "oe",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};
const SPECIAL_LETTER_PATTERN = /[ßøæœłđðþı]/g;

/** Lowercase, strip accents (Schölkopf -> scholkopf), keep everything else. */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower
    .normalize("NFKD")
    .replace(COMBINING_MARKS, "")
    .replace(SPECIAL_LETTER_PATTERN, (c) => SPECIAL_LETTERS[c] ?? c);
}

/** Folded words of a text, in order, stopwords included. Single letters are dropped. */
export function foldedWords(text: string): string[] {
  const folded = foldText(text);
  const pattern = NON_ASCII.test(folded) ? UNICODE_WORD : ASCII_WORD;
  const words = folded.match(pattern) ?? [];
  return words.filter((w) => w.length > 1);
}

// Kept short on purpose: words that carry no topic in a paper search. Negations are not
// here because nothing in ranking uses them.
const STOPWORD_LIST =
  "a an and are as at be been being but by can could did do does doing done for from had has have " +
  "he her here hers him his how i if in into is it its itself me more most my of on once only or " +
  "other our ours out over own she should so some such than that the their theirs them then there " +
  "these they this those through to too under until up very was we were what when where which while " +
  "who whom why will with would you your yours also via vs etc ie eg thus hence however whether both " +
  "each either neither nor not no yes any all many much few among upon within without about above " +
  "below between after before again further just may might must shall let lets";
export const STOPWORDS: ReadonlySet<string> = new Set(STOPWORD_LIST.split(" "));

/**
 * Words people put around a question or a search ("which paper shows ...", "find me work on
 * ..."). They are dropped from queries only, and only when something else is left.
 */
const QUERY_FILLER_LIST =
  "paper papers article articles work works study studies research find finding show shows showed " +
  "shown tell explain anything something somebody someone know known looking look " +
  "want need please give list publication publications publish published describe describes " +
  "described discuss discusses discussed talk talks talking say says said wrote write written " +
  "author authors get got one ones thing things kind way ways like use uses used using";
export const QUERY_FILLER: ReadonlySet<string> = new Set(QUERY_FILLER_LIST.split(" "));

/** Words whose trailing "s" is not a plural. */
const KEEP_S: ReadonlySet<string> = new Set([
  "bias",
  "alias",
  "atlas",
  "canvas",
  "gas",
  "lens",
  "news",
  "chaos",
  "cosmos",
  "ethos",
  "pathos",
  "kudos",
  "mathematics",
  "physics",
]);

function isVowel(c: string | undefined): boolean {
  return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";
}

function hasVowel(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (isVowel(word[i])) return true;
  return false;
}

/**
 * A light stemmer: plurals, -ing, -ed, doubled final consonant, final e. Enough to join
 * network/networks, train/trained/training, embed/embedding/embedded, image/images/imaging,
 * without Porter's aggressive conflations (generalization -> gener).
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /[0-9]/.test(w)) return w;
  if (!KEEP_S.has(w)) {
    if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
    else if (w.endsWith("sses") || w.endsWith("xes") || w.endsWith("ches") || w.endsWith("shes"))
      w = w.slice(0, -2);
    else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is"))
      w = w.slice(0, -1);
  }
  if (w.endsWith("ing") && w.length - 3 >= 4 && hasVowel(w.slice(0, -3))) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length - 2 >= 4 && hasVowel(w.slice(0, -2))) w = w.slice(0, -2);
  const last = w[w.length - 1];
  if (w.length > 4 && last === w[w.length - 2] && last !== undefined && "bdgmnprt".includes(last))
    w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

/** Folded word -> surface form (the vocabulary word typo candidates are computed on). */
export function surfaceOf(foldedWord: string): string {
  return americanize(foldedWord);
}

/** Folded word -> index term. */
export function termOf(foldedWord: string): string {
  return stem(americanize(foldedWord));
}

/** Index terms of a text in order (stopwords removed): for sentence and snippet matching. */
export function textTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of foldedWords(text)) if (!STOPWORDS.has(w)) out.push(termOf(w));
  return out;
}
