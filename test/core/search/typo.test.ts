import { describe, expect, it } from "vitest";
import { buildTypoTable, typoCandidates, withinOneEdit } from "../../../src/core/search/typo.ts";

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
const candidates = (word: string) => typoCandidates(word, WORDS, TABLE, 10).map((id) => WORDS[id]);

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

  it("agrees with a plain edit-distance check", () => {
    expect(withinOneEdit("abcd", "abdc")).toBe(true);
    expect(withinOneEdit("abcd", "abd")).toBe(true);
    expect(withinOneEdit("abcd", "xbcd")).toBe(true);
    expect(withinOneEdit("abcd", "badc")).toBe(false);
    expect(withinOneEdit("abcd", "ab")).toBe(false);
  });
});
