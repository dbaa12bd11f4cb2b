import { beforeAll, describe, expect, it } from "vitest";
import { evaluate } from "../../../bench/relevance.ts";
import { LABELLED_QUERIES } from "../../../bench/relevance-queries.ts";
import { loadCorpus } from "../../../src/core/corpus/load-corpus.ts";
import { PaperIndex } from "../../../src/core/paper-index.ts";
import { createPaperEngine } from "../../../src/core/search/paper-engine.ts";

let index: PaperIndex;
beforeAll(async () => {
  const { papers } = await loadCorpus("data");
  index = new PaperIndex(papers, { engine: createPaperEngine });
});

describe("relevance on the bundled papers", () => {
  it.each(LABELLED_QUERIES.map((q) => [`${q.kind}: ${q.query}`, q] as const))("%s", (_name, query) => {
    const [outcome] = evaluate(index, [query]).outcomes;
    expect(outcome?.failure).toBeUndefined();
  });

  it("reaches MRR@5 = 1 over the whole labelled set", () => {
    const report = evaluate(index);
    expect(report.mrr).toBe(1);
    expect(report.emptyCorrect).toBe(report.empties);
  });
});
