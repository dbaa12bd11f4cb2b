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

  it("tells apart words whose hashes are equal, short and long", () => {
    // FNV-1a, as the table hashes words: "gwzx" and "16cd" collide, and so does anything after them.
    const fnv = (word: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
      return h;
    };
    // Endings bring the words to each boundary of the packed keys (4, 7, 8, 12, 15 characters) and past them.
    for (const ending of ["", "xyz", "long", "lengthen", "lengthenings", "lengthening1234"]) {
      const [a, b] = [`gwzx${ending}`, `16cd${ending}`];
      expect(fnv(a)).toBe(fnv(b));
      const resolved: string[] = [];
      const table = new WordTable((w) => resolved.push(w) - 1);
      const seen: number[] = [];
      table.scan(`${a} ${b} ${b} ${a}`, (id) => seen.push(id));
      expect(resolved).toEqual([a, b]);
      expect(seen).toEqual([0, 1, 1, 0]);
    }
  });

  it("keeps every word's id as its table grows, resolving each word once", () => {
    // 50,000 distinct words (letters only) outgrow the first table and pool several times; a third
    // are too long to be their own key, some are just short enough, and some are not ASCII.
    const letters = (n: number) => n.toString(26).replace(/[0-9]/g, (d) => "qrstuvwxyz"[Number(d)] as string);
    const word = (n: number) =>
      n % 3 === 0
        ? `w${letters(n)}longerthanpacked`
        : n % 5 === 1
          ? `w${letters(n)}longer`.slice(0, 15)
          : n % 7 === 1
            ? `wλ${letters(n)}`
            : `w${letters(n)}`;
    const distinct = Array.from({ length: 50_000 }, (_, i) => word(i));
    const resolved: string[] = [];
    const table = new WordTable((w) => resolved.push(w) - 1);
    const ids = (text: string) => {
      const seen: number[] = [];
      table.scan(text, (id) => seen.push(id));
      return seen;
    };
    const first = ids(distinct.join(" "));
    expect(first).toEqual(distinct.map((_, i) => i));
    expect(resolved).toEqual(distinct);
    // Again, shuffled and in capitals: the same ids, nothing resolved twice.
    const order = distinct.map((_, i) => (i * 7919) % distinct.length);
    expect(ids(order.map((i) => (distinct[i] as string).toUpperCase()).join(", "))).toEqual(order);
    expect(resolved).toHaveLength(distinct.length);
  });
});
