import { describe, expect, it } from "vitest";
import { PaperEngine } from "../../../src/core/search/paper-engine.ts";
import { buildTermTable, TermLookup } from "../../../src/core/search/term-table.ts";
import { DOCUMENTS } from "./fixtures.ts";

describe("term table", () => {
  it("finds every term of a built index at its id, and nothing else", () => {
    const { index } = PaperEngine.build(DOCUMENTS).snapshot;
    const lookup = new TermLookup(index.terms, index.termTable);
    expect(index.terms.length).toBeGreaterThan(50);
    for (let id = 0; id < index.terms.length; id++) expect(lookup.get(index.terms.at(id) as string)).toBe(id);
    for (const absent of ["", "zzzqqq", "hessianx", "Hessian"]) expect(lookup.get(absent)).toBeUndefined();
  });

  it("keeps colliding words apart in a full neighbourhood", () => {
    // 5,000 words in a table of 16,384 slots: many share a probe run.
    const words = Array.from({ length: 5_000 }, (_, i) => `w${i.toString(36)}`);
    const table = buildTermTable(words);
    expect(table.length).toBe(16_384);
    const lookup = new TermLookup(words, table);
    words.forEach((word, id) => {
      expect(lookup.get(word)).toBe(id);
    });
    expect(lookup.get("w-1")).toBeUndefined();
  });
});
