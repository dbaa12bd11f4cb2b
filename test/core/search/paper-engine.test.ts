import { describe, expect, it } from "vitest";
import { documentSource } from "../../../src/core/search/engine.ts";
import { createPaperEngine, PaperEngine } from "../../../src/core/search/paper-engine.ts";
import { DOCUMENTS } from "./fixtures.ts";

const engine = createPaperEngine(documentSource(DOCUMENTS));
const ids = (text: string, limit = 10) => engine.search(text, { limit }).map((hit) => hit.id);

describe("paper engine", () => {
  it("ranks the paper holding the query words first", () => {
    expect(ids("hessian rank")[0]).toBe("2305.09088");
    expect(ids("cold posterior")[0]).toBe("2205.13900");
  });

  it("tolerates a dropped, added or swapped letter", () => {
    expect(ids("hesian rank")[0]).toBe("2305.09088");
    expect(ids("satellitte roads")[0]).toBe("2210.00828");
    expect(ids("posetrior")[0]).toBe("2205.13900");
  });

  it("matches across accents and British spelling", () => {
    expect(ids("Scholkopf")).toEqual(["2305.09088"]);
    expect(ids("Schölkopf")).toEqual(["2305.09088"]);
    expect(ids("memorization")[0]).toBe("2210.14019");
    expect(ids("memorisation")[0]).toBe("2210.14019");
  });

  it("returns nothing when the query is about something absent", () => {
    expect(ids("protein folding")).toEqual([]);
    expect(ids("sourdough bread recipes")).toEqual([]);
    expect(ids("the of and")).toEqual([]);
    expect(ids("")).toEqual([]);
  });

  it("scores in 0..1, best first, with the words that matched after correction", () => {
    const hits = engine.search("hesian networks", { limit: 10 });
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.score).toBeLessThanOrEqual(1);
    }
    expect([...hits].sort((a, b) => b.score - a.score)).toEqual(hits);
    expect(hits[0]?.matchedTerms).toContain("hessian");
  });

  it("reports matched words as typed, and corrections as the corpus spells them", () => {
    expect(engine.search("memorisation", { limit: 1 })[0]?.matchedTerms).toEqual(["memorisation"]);
    expect(engine.search("satellitte", { limit: 1 })[0]?.matchedTerms).toEqual(["satellite"]);
  });

  it("ranks a paper matching every query word above one matching some", () => {
    const hits = engine.search("bayesian neural networks augmentation", { limit: 10 });
    expect(hits[0]?.id).toBe("2205.13900");
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 0);
  });

  it("applies the accept filter and the limit", () => {
    expect(ids("networks", 2)).toHaveLength(2);
    const onlyIcml = engine.search("networks", { limit: 10, accept: (id) => id === "2205.13900" });
    expect(onlyIcml.map((hit) => hit.id)).toEqual(["2205.13900"]);
  });

  it("finds papers by author and venue words", () => {
    expect(ids("Lorenzo Noci")[0]).toBe("2205.13900");
    expect(ids("ICCV")).toEqual(["2210.00828"]);
  });

  it("expands ML acronyms and synonyms", () => {
    expect(ids("reinforcement learning roads")[0]).toBe("2210.00828");
    expect(ids("rl road")[0]).toBe("2210.00828");
  });

  it("is built from no documents without failing", () => {
    expect(PaperEngine.build([]).search("anything", { limit: 5 })).toEqual([]);
  });
});
