import { describe, expect, it } from "vitest";
import { foldedWords, foldText, stem, termOf, textTerms } from "../../../src/core/search/normalize.ts";
import { americanize } from "../../../src/core/search/spelling.ts";
import { WordTable } from "../../../src/core/search/word-table.ts";

describe("term pipeline", () => {
  it("folds accents and special letters so Schölkopf matches Scholkopf", () => {
    expect(foldText("Schölkopf")).toBe("scholkopf");
    expect(foldText("Łukasz Straße")).toBe("lukasz strasse");
    expect(termOf(foldText("Tröster"))).toBe(termOf("troster"));
  });

  it("maps British spellings onto American ones", () => {
    for (const [british, american] of [
      ["optimisation", "optimization"],
      ["regularised", "regularized"],
      ["behaviour", "behavior"],
      ["neighbourhood", "neighborhood"],
      ["modelling", "modeling"],
      ["labelled", "labeled"],
      ["analyse", "analyze"],
      ["centre", "center"],
      ["catalogue", "catalog"],
    ]) {
      expect(americanize(british as string)).toBe(americanize(american as string));
    }
  });

  it("stems plurals and verb forms together without merging unrelated words", () => {
    expect(stem("networks")).toBe(stem("network"));
    expect(stem("training")).toBe(stem("trained"));
    expect(stem("embeddings")).toBe(stem("embed"));
    expect(stem("images")).toBe(stem("imaging"));
    expect(stem("biases")).toBe(stem("bias"));
    expect(stem("studies")).toBe(stem("study"));
    expect(stem("generalization")).not.toBe(stem("general"));
    expect(stem("string")).toBe("string");
  });

  it("drops stopwords and single letters from text terms", () => {
    expect(textTerms("The rank of a Hessian")).toEqual(["rank", "hessian"]);
  });

  it("tokenizes the index side exactly like the query side", () => {
    const text = "Schölkopf's 3D point-cloud (CNNs) — über naïve ℓ2 αβ-tests, i.e. x, 10^4 Ωmega";
    const table = new WordTable((word) => words.push(word) - 1);
    const words: string[] = [];
    const seen: string[] = [];
    table.scan(text, (id) => seen.push(words[id] as string));
    expect(seen).toEqual(foldedWords(text));
  });
});
