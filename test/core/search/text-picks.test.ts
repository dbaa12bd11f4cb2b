import { describe, expect, it } from "vitest";
import { bestSentence, splitSentences } from "../../../src/core/search/best-sentence.ts";
import { snippetRuns } from "../../../src/core/search/snippet.ts";

const ABSTRACT =
  "While CNNs have long been studied, we take a different perspective, i.e. their Hessian maps. " +
  "We develop a framework relying on Toeplitz representations of CNNs. " +
  "We prove tight upper bounds on the Hessian rank, which grows as the square root of the number of parameters. " +
  "Overall, our work generalises prior insights.";

describe("splitSentences", () => {
  it("splits at sentence ends but not after i.e., e.g. or initials", () => {
    expect(splitSentences(ABSTRACT)).toHaveLength(4);
    expect(splitSentences("We follow Smith et al. Their model works. See J. Doe for more.")).toEqual([
      "We follow Smith et al. Their model works.",
      "See J. Doe for more.",
    ]);
  });
});

describe("bestSentence", () => {
  it("picks the sentence that answers the question", () => {
    expect(bestSentence(ABSTRACT, ["how", "does", "the", "hessian", "rank", "grow"])).toMatch(
      /^We prove tight/,
    );
    expect(bestSentence(ABSTRACT, ["toeplitz"])).toMatch(/^We develop a framework/);
  });

  it("matches words across spelling variants", () => {
    expect(bestSentence(ABSTRACT, ["generalizes"])).toMatch(/^Overall/);
  });

  it("returns empty text for an empty abstract", () => {
    expect(bestSentence("", ["hessian"])).toBe("");
  });
});

describe("snippetRuns", () => {
  const text = (runs: { text: string }[]) => runs.map((r) => r.text).join("");

  it("centres on the window with most matched words and marks them", () => {
    const runs = snippetRuns(ABSTRACT, ["rank", "parameter"], 80);
    expect(text(runs).length).toBeLessThanOrEqual(80);
    expect(text(runs).startsWith("…")).toBe(true);
    expect(runs.filter((r) => r.match).map((r) => r.text)).toEqual(["rank", "parameters"]);
  });

  it("marks words by term, across accents and plurals", () => {
    const runs = snippetRuns("Work by Bernhard Schölkopf on kernel networks.", ["scholkopf", "network"], 100);
    expect(runs.filter((r) => r.match).map((r) => r.text)).toEqual(["Schölkopf", "networks"]);
    expect(text(runs)).toBe("Work by Bernhard Schölkopf on kernel networks.");
  });

  it("shows the beginning when nothing matched, on one line", () => {
    const runs = snippetRuns("First line\nsecond line that is long enough to be cut somewhere", [], 30);
    expect(runs.every((r) => !r.match)).toBe(true);
    expect(text(runs)).not.toContain("\n");
    expect(text(runs).length).toBeLessThanOrEqual(30);
    expect(text(runs).endsWith("…")).toBe(true);
  });
});
