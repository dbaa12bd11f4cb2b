import { describe, expect, it } from "vitest";
import type { Paper } from "../../../src/core/paper.ts";
import { PaperIndex } from "../../../src/core/paper-index.ts";
import { PaperEngine } from "../../../src/core/search/paper-engine.ts";
import { openSavedIndex, serializeEngine } from "../../../src/core/search/persist.ts";
import { DOCUMENTS } from "./fixtures.ts";

/** How many turns of the event loop ran (setImmediate callbacks) while `work` was pending. */
async function turnsDuring<T>(work: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const value = await work;
  done = true;
  return { value, turns };
}

function paper(n: number): Paper {
  return {
    id: `2401.${String(n).padStart(5, "0")}`,
    title: `Paper ${n}`,
    titleDerived: false,
    authors: ["A. Author"],
    abstract: "",
    categories: [],
    comments: [],
    sources: [],
  };
}

describe("restoring in slices (a reload's swap)", () => {
  it("maps papers by id across slices exactly like the constructor", async () => {
    const papers = Array.from({ length: 45_001 }, (_, n) => paper(n));
    const engine = PaperEngine.build(DOCUMENTS);
    const whole = new PaperIndex(papers, { engine: () => engine });
    const { value: sliced, turns } = await turnsDuring(PaperIndex.inSlices(papers, { engine: () => engine }));
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(sliced.size).toBe(whole.size);
    for (const n of [0, 9_999, 10_000, 40_000, 45_000]) {
      const id = paper(n).id;
      expect(sliced.get(id)).toBe(papers[n]);
      expect(sliced.get(id)).toBe(whole.get(id));
    }
    expect(sliced.get("2401.99999")).toBeUndefined();
  });

  it("skips the checksum only when trusted: damage is still refused otherwise", () => {
    const bytes = serializeEngine(PaperEngine.build(DOCUMENTS));
    const damaged = Buffer.from(bytes);
    // Flip a byte in the tail (the short fields' JSON) so the structure stays readable.
    const last = damaged.length - 2;
    damaged[last] = (damaged[last] as number) ^ 0x01;
    expect(() => openSavedIndex(damaged)).toThrow(/index file is damaged/);
    expect(() => openSavedIndex(damaged, { trusted: false })).toThrow(/index file is damaged/);
    expect(openSavedIndex(damaged, { trusted: true }).docCount).toBe(DOCUMENTS.length);
    // Trusted bytes still get every bounds check.
    expect(() => openSavedIndex(bytes.subarray(0, bytes.length - 64), { trusted: true })).toThrow(
      /truncated/,
    );
  });
});
