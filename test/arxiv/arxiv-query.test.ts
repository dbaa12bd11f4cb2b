import { describe, expect, it } from "vitest";
import { arxivQueryFor } from "../../src/arxiv/arxiv-query.ts";
import { parseFakeQuery } from "../fakes/arxiv/fake-query.ts";
import { SAMPLE_PAPERS, SCALING, SHARPNESS, VISION } from "../fakes/arxiv/sample-papers.ts";

const none = { authors: [], categories: [], words: [] };

function found(query: string): string[] {
  const matches = parseFakeQuery(query);
  return SAMPLE_PAPERS.filter(matches).map((paper) => paper.id);
}

describe("arxivQueryFor", () => {
  it("asks for an author by the full name, quoted", () => {
    expect(arxivQueryFor({ ...none, authors: ["Gregor Bachmann"] })).toBe('au:"Gregor Bachmann"');
    expect(arxivQueryFor({ ...none, authors: ["Bachmann"] })).toBe("au:Bachmann");
  });

  it("ANDs every author, category and word, as the same filters do in /search", () => {
    const query = arxivQueryFor({
      authors: ["Gregor Bachmann", "Thomas Hofmann"],
      categories: ["cs.LG", "stat.ML"],
      words: ["hessian", "loss landscape"],
    });
    expect(query).toBe(
      'au:"Gregor Bachmann" AND au:"Thomas Hofmann" AND cat:cs.LG AND cat:stat.ML AND all:hessian AND all:"loss landscape"',
    );
  });

  it("drops quotes and parentheses that would break the query, and empty or repeated filters", () => {
    const query = arxivQueryFor({
      authors: ['Greg "G" (Bach)', "  "],
      categories: ["cs.LG", "cs.LG"],
      words: ['"'],
    });
    expect(query).toBe('au:"Greg G Bach" AND cat:cs.LG');
  });

  it("refuses a follow with nothing to look for", () => {
    expect(() => arxivQueryFor(none)).toThrow(RangeError);
  });

  it("means what the follow means when arXiv (the fake, matching loosely like arXiv) reads it", () => {
    expect(found(arxivQueryFor({ ...none, authors: ["Gregor Bachmann"] }))).toEqual([
      SHARPNESS.id,
      SCALING.id,
    ]);
    expect(found(arxivQueryFor({ ...none, authors: ["Gregor Bachmann", "Thomas Hofmann"] }))).toEqual([
      SHARPNESS.id,
    ]);
    expect(
      found(arxivQueryFor({ authors: ["Gregor Bachmann"], categories: ["cs.LG"], words: ["hessian"] })),
    ).toEqual([SHARPNESS.id]);
    expect(found(arxivQueryFor({ ...none, categories: ["cs.CV", "cs.LG"] }))).toEqual([VISION.id]);
    expect(found(arxivQueryFor({ ...none, words: ["loss landscape", "sharpness"] }))).toEqual([SHARPNESS.id]);
    expect(found(arxivQueryFor({ ...none, words: ["landscape loss"] }))).toEqual([]);
  });
});
