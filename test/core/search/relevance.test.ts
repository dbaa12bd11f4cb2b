import { beforeAll, describe, expect, it } from "vitest";
import { evaluate, type QueryOutcome } from "../../../bench/relevance.ts";
import { LABELLED_QUERIES, NEGATIVES, PARAPHRASES } from "../../../bench/relevance-queries.ts";
import { loadCorpus } from "../../../src/core/corpus/load-corpus.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import type { Paper } from "../../../src/core/paper.ts";
import { PaperIndex } from "../../../src/core/paper-index.ts";
import { createPaperEngine, PaperEngine } from "../../../src/core/search/paper-engine.ts";

let papers: readonly Paper[];
let index: PaperIndex;
beforeAll(async () => {
  papers = (await loadCorpus("data")).papers;
  index = new PaperIndex(papers, { engine: createPaperEngine });
}, 120_000);

/** Off-topic questions meaning still answers (measured, see README): "structure" and "prediction" are corpus words. */
const KNOWN_ANSWERED_NEGATIVES = ["any papers on protein structure prediction?"];
const WORDS_AND_FILTERS = LABELLED_QUERIES.filter(
  (q) => q.kind !== "paraphrase" && !KNOWN_ANSWERED_NEGATIVES.includes(q.query),
);
const mrr = (outcomes: QueryOutcome[]) =>
  outcomes.reduce((sum, o) => sum + (o.firstRelevant ? 1 / o.firstRelevant : 0), 0) / outcomes.length;

describe("relevance on the bundled papers", () => {
  it.each(WORDS_AND_FILTERS.map((q) => [`${q.kind}: ${q.query}`, q] as const))("%s", (_name, query) => {
    const [outcome] = evaluate(index, [query]).outcomes;
    expect(outcome?.failure).toBeUndefined();
  });

  it("reaches MRR@5 = 1 over every labelled query but the paraphrases", () => {
    const report = evaluate(index, WORDS_AND_FILTERS);
    expect(report.mrr).toBe(1);
    expect(report.emptyCorrect).toBe(report.empties);
  });

  it("answers paraphrased questions by meaning far better than by their words", () => {
    const lexical = new PaperIndex(papers, {
      engine: (source) => PaperEngine.fromSource(source, {}),
      logger: SILENT_LOGGER,
    });
    const byWords = evaluate(lexical, PARAPHRASES).outcomes;
    const fused = evaluate(index, PARAPHRASES).outcomes;
    expect(mrr(byWords)).toBeLessThan(0.3);
    // Measured 0.671 with 9 answered with nothing (README); the goal of 0.95 is not reached yet.
    expect(mrr(fused)).toBeGreaterThanOrEqual(0.65);
    expect(fused.filter((o) => o.ids.length === 0).length).toBeLessThanOrEqual(9);
  });

  it("answers off-topic questions with nothing, but for the one known near miss", () => {
    const answered = evaluate(index, NEGATIVES)
      .outcomes.filter((o) => o.ids.length > 0)
      .map((o) => o.query.query);
    expect(answered).toEqual(KNOWN_ANSWERED_NEGATIVES);
  });

  it("writes no paraphrase with a content word of its paper's title", () => {
    expect(PARAPHRASES.length).toBeGreaterThanOrEqual(30);
    for (const q of PARAPHRASES) {
      const title = papers.find((p) => p.id === q.relevant[0])?.title ?? "";
      const titleTerms = new Set(textTermsOf(title));
      const shared = textTermsOf(q.query).filter((t) => titleTerms.has(t));
      expect(shared, q.query).toEqual([]);
    }
  });
});

import { QUERY_FILLER, textTerms } from "../../../src/core/search/normalize.ts";

function textTermsOf(text: string): string[] {
  return textTerms(text).filter((t) => !QUERY_FILLER.has(t));
}
