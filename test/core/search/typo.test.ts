import { describe, expect, it } from "vitest";
import {
  buildTypoStarts,
  buildTypoTable,
  typoCandidates,
  withinOneEdit,
} from "../../../src/core/search/typo.ts";

const WORDS = [
  "hessian",
  "network",
  "networks",
  "memorization",
  "posterior",
  "tempering",
  "gan",
  "plasticity",
];
const TABLE = buildTypoTable(WORDS);
const candidates = (word: string) =>
  typoCandidates(word, WORDS, TABLE, buildTypoStarts(TABLE), 10).map((id) => WORDS[id]);

describe("typo candidates", () => {
  it("finds the word behind a dropped letter", () => {
    expect(candidates("hesian")).toEqual(["hessian"]);
    expect(candidates("memorizaton")).toEqual(["memorization"]);
  });

  it("finds the word behind an added, changed or swapped letter", () => {
    expect(candidates("posteriorr")).toEqual(["posterior"]);
    expect(candidates("tampering")).toEqual(["tempering"]);
    expect(candidates("plastictiy")).toEqual(["plasticity"]);
  });

  it("offers every vocabulary word within one edit, not the word itself", () => {
    expect(candidates("network").sort()).toEqual(["networks"]);
    expect(candidates("netwrks").sort()).toEqual(["networks"]);
  });

  it("offers nothing for words two edits away", () => {
    expect(candidates("hssan")).toEqual([]);
    expect(candidates("plsticty")).toEqual([]);
  });

  it("finds through the table's directory every word a full scan finds, in a large vocabulary", () => {
    let seed = 7;
    const letter = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return "abcdefghij"[(seed >>> 16) % 10] as string;
    };
    const words = [
      ...new Set(Array.from({ length: 20_000 }, () => Array.from({ length: 5 }, letter).join(""))),
    ];
    const table = buildTypoTable(words);
    const starts = buildTypoStarts(table);
    expect(starts.length - 1).toBeGreaterThanOrEqual(2 ** 12);
    for (const word of ["abcde", "aabbc", "jihgf", "abcd", "abcdef", "eeeee"]) {
      const scanned = words.flatMap((w, id) => (w !== word && withinOneEdit(word, w) ? [id] : []));
      expect(typoCandidates(word, words, table, starts, 1000).sort((a, b) => a - b)).toEqual(scanned);
    }
  });

  it("agrees with a plain edit-distance check", () => {
    expect(withinOneEdit("abcd", "abdc")).toBe(true);
    expect(withinOneEdit("abcd", "abd")).toBe(true);
    expect(withinOneEdit("abcd", "xbcd")).toBe(true);
    expect(withinOneEdit("abcd", "badc")).toBe(false);
    expect(withinOneEdit("abcd", "ab")).toBe(false);
  });
});
