import { beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../../../src/core/corpus/load-corpus.ts";
import { createLogger } from "../../../../src/core/logger.ts";
import type { Paper } from "../../../../src/core/paper.ts";
import { PaperIndex } from "../../../../src/core/paper-index.ts";
import { PaperEngine } from "../../../../src/core/search/paper-engine.ts";

const ROADS = "2210.00828";
const TEACHERS = "2302.12091";
const CONTINUAL = "2303.09483";
const CLIP3D = "2304.06061";
const HESSIAN = "2305.09088";
const FILTERS = "2207.12319";
const TEMPERING = "2205.13900";
const MEMORIZATION = "2210.14019";

let papers: readonly Paper[];
let index: PaperIndex;
beforeAll(async () => {
  papers = (await loadCorpus("data")).papers;
  index = new PaperIndex(papers);
}, 120_000);

const ids = (results: { hits: { paper: Paper }[] }) => results.hits.map((hit) => hit.paper.id);

describe("questions in people's own words", () => {
  it.each([
    ["extracting street maps from aerial imagery with an agent that gets rewards", ROADS],
    ["what happens if a student network copies an untrained instructor?", TEACHERS],
    ["remembering earlier tasks during sequential training", CONTINUAL],
    ["teaching a model to understand rooms and objects in three dimensions using text and pictures", CLIP3D],
  ])("%s -> the paper that says it in other words", (question, id) => {
    const lexical = new PaperIndex(papers, {
      engine: (source) => PaperEngine.fromSource(source, {}),
      logger: createLogger("silent"),
    });
    expect(ids(lexical.ask(question))[0]).not.toBe(id);
    expect(ids(index.ask(question))[0]).toBe(id);
  });

  // Both got nothing before the paper vectors lost the direction every ML paper shares and the
  // floor asked how far a paper stands out from the corpus instead of an absolute cosine.
  it.each([
    ["a tool to study Instagram face effects", FILTERS],
    ["lowering the temperature of the likelihood in uncertainty-aware nets", TEMPERING],
  ])("%s -> found although no word of it is in the paper's title", (question, id) => {
    expect(ids(index.ask(question))[0]).toBe(id);
  });

  it("answers off-topic questions near the corpus's words with nothing", () => {
    // "form" and "photography" (near "art") are corpus words; neither question is about a paper here.
    expect(index.ask("how do glaciers form?").hits).toEqual([]);
    expect(index.search("wedding photography").hits).toEqual([]);
    expect(index.ask("interest rates and inflation forecasts").hits).toEqual([]);
  });

  it("quotes the sentence that answers the paraphrase", () => {
    const [hit] = index.ask(
      "extracting street maps from aerial imagery with an agent that gets rewards",
    ).hits;
    expect(hit?.answer).toMatch(/satellite image/);
    expect(hit?.matchedTerms).toEqual(expect.arrayContaining(["agent", "reward"]));
  });

  it("answers off-topic questions with nothing, asked or searched", () => {
    expect(index.ask("what do we know about medieval tax records?").hits).toEqual([]);
    expect(index.search("medieval tax records").hits).toEqual([]);
    expect(index.ask("recipes with chickpeas and spinach").hits).toEqual([]);
  });

  it("keeps search lexical while its words find papers", () => {
    const results = index.search("hessian rank");
    expect(ids(results)).toEqual([HESSIAN]);
  });
});

describe("papers related by meaning", () => {
  it("gives only near papers, best first, with content words both abstracts use", () => {
    const related = index.relatedPapers("arXiv:2302.12091v2", 5);
    expect(related.length).toBeGreaterThan(0);
    expect(related.length).toBeLessThan(5);
    expect(related[0]?.paper.id).toBe(MEMORIZATION);
    expect(related[0]?.shared).toContain("random");
    const scores = related.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("gives none when no paper of the corpus is near", () => {
    // The Hessian paper is the corpus's only one on curvature: everything else is far.
    expect(index.relatedPapers(HESSIAN, 5)).toEqual([]);
  });

  it("never offers venue, category, author or generic words as shared", () => {
    const banned = new Set(
      "icml iclr iccv cvpr cvprw ml lg cs cv stat provide aim reason key propose show result approach method"
        .split(" ")
        .concat(papers.flatMap((p) => p.authors.flatMap((a) => a.toLowerCase().split(/\s+/)))),
    );
    let shown = 0;
    for (const paper of papers) {
      for (const r of index.relatedPapers(paper.id, 5)) {
        for (const word of r.shared) {
          shown++;
          expect(banned.has(word.toLowerCase()), `${paper.id} -> ${r.paper.id}: ${word}`).toBe(false);
          const text = (p: Paper) => `${p.title} ${p.abstract}`.toLowerCase();
          expect(text(paper)).toContain(word.toLowerCase().slice(0, 4));
          expect(text(r.paper)).toContain(word.toLowerCase().slice(0, 4));
        }
      }
    }
    expect(shown).toBeGreaterThan(0);
  });
});

describe("without word vectors", () => {
  it("answers by words only and says why once in the log", () => {
    const lines: string[] = [];
    const logger = createLogger("info", (line) => lines.push(line));
    const problem = `the word vectors were removed for this test ${Math.random()}`;
    const lexicalOnly = () =>
      new PaperIndex(papers, {
        engine: (source) => PaperEngine.fromSource(source, { problem }),
        logger,
      });
    const first = lexicalOnly();
    expect(ids(first.ask("is there anything on catastrophic forgetting?"))).toEqual([CONTINUAL]);
    expect(first.ask("remembering earlier tasks during sequential training").hits).toEqual([]);
    expect(first.relatedPapers(HESSIAN)).toEqual([]);
    lexicalOnly().ask("anything on cosmology?");
    expect(lines.filter((line) => line.includes(problem))).toHaveLength(1);
    expect(lines[0]).toMatch(
      /WARN questions are answered by their words only: the word vectors were removed/,
    );
  });
});
