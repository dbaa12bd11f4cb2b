/**
 * The abstract sentence that best answers a question: the one holding most of the question's
 * words (rarer words in this abstract count more) and, when the engine answers by meaning, the
 * one closest to it in meaning (words near the question's count too), with a nudge toward
 * sentences that state a finding ("we show", "we prove", "results"). Words are compared as index
 * terms, so spelling variants, plurals and accents match.
 */
import { QUERY_FILLER, textTerms } from "./normalize.ts";

/** Abbreviations whose period does not end a sentence. */
const ABBREVIATIONS =
  /(?:\b(?:i\.e|e\.g|et al|etc|vs|cf|fig|figs|eq|eqs|sec|resp|approx|no|vol|ref|refs|dr|prof)\.|\b[A-Z]\.)$/i;
const SENTENCE_END = /(?<=[.?!])\s+(?=["'“([]?[\p{Lu}\p{N}])/u;
const FINDING_CUE =
  /\b(?:we (?:show|prove|find|found|demonstrate|observe|reveal|establish|derive|identify|propose|present|introduce)|results? (?:show|suggest|indicate)|outperform|improv)/i;
const FINDING_BONUS = 0.25;
/** Weight of the meaning score (0..1) against the words score (about 1.5 per word held). */
const MEANING_WEIGHT = 3;

/** Sentences of a plain-text paragraph, not split after "e.g.", "et al." or initials. */
export function splitSentences(text: string): string[] {
  const pieces = text.replace(/\s+/g, " ").trim().split(SENTENCE_END);
  const sentences: string[] = [];
  for (const piece of pieces) {
    const last = sentences[sentences.length - 1];
    if (last !== undefined && ABBREVIATIONS.test(last)) sentences[sentences.length - 1] = `${last} ${piece}`;
    else if (piece) sentences.push(piece);
  }
  return sentences;
}

export function bestSentence(
  abstractPlain: string,
  queryTerms: string[],
  byMeaning?: (sentences: readonly string[]) => number[],
): string {
  const sentences = splitSentences(abstractPlain);
  if (sentences.length === 0) return "";
  const wanted = new Set(
    textTerms(queryTerms.filter((term) => !QUERY_FILLER.has(term.toLowerCase())).join(" ")),
  );
  const sentenceTerms = sentences.map((sentence) => new Set(textTerms(sentence)));
  // How many sentences hold each wanted term: a term in every sentence tells them apart poorly.
  const spread = new Map<string, number>();
  for (const terms of sentenceTerms) {
    for (const term of terms) if (wanted.has(term)) spread.set(term, (spread.get(term) ?? 0) + 1);
  }
  const meaning = byMeaning?.(sentences);
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  sentences.forEach((sentence, i) => {
    let score = 0;
    for (const term of sentenceTerms[i] as Set<string>) {
      const n = spread.get(term);
      if (n !== undefined) score += 1 + 1 / n;
    }
    score += MEANING_WEIGHT * (meaning?.[i] ?? 0);
    if (FINDING_CUE.test(sentence)) score += FINDING_BONUS;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return sentences[best] as string;
}
