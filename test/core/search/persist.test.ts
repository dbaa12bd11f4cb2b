import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PaperEngine } from "../../../src/core/search/paper-engine.ts";
import {
  corpusFingerprint,
  createPersistentPaperEngine,
  deserializeEngine,
  loadEngine,
  loadOrBuildPaperEngine,
  saveEngine,
  serializeEngine,
} from "../../../src/core/search/persist.ts";
import { DOCUMENTS } from "./fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "paperbot-index-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const QUERIES = ["hessian rank", "hesian", "Schölkopf", "memorisation", "cold posterior", "protein folding"];

describe("persisted index", () => {
  it("answers every query exactly like the engine it was saved from", () => {
    const built = PaperEngine.build(DOCUMENTS);
    const path = join(dir, "a.pbix");
    saveEngine(built, path, "fp");
    const { engine, fingerprint } = loadEngine(path);
    expect(fingerprint).toBe("fp");
    for (const q of QUERIES) expect(engine.search(q, { limit: 5 })).toEqual(built.search(q, { limit: 5 }));
  });

  it("restores from bytes that do not start 8-byte aligned", () => {
    const bytes = serializeEngine(PaperEngine.build(DOCUMENTS));
    const shifted = new Uint8Array(bytes.length + 3).subarray(3);
    shifted.set(bytes);
    expect(deserializeEngine(shifted).engine.search("hessian", { limit: 1 })[0]?.id).toBe("2305.09088");
  });

  it("rejects files that are not an index or are cut short", () => {
    expect(() => deserializeEngine(new TextEncoder().encode("hello world, not an index"))).toThrow(
      /not a paperbot index/,
    );
    const bytes = serializeEngine(PaperEngine.build(DOCUMENTS));
    expect(() => deserializeEngine(bytes.subarray(0, bytes.length - 64))).toThrow(/truncated/);
  });

  it("reuses a saved index only for the same documents", () => {
    const path = join(dir, "b.pbix");
    expect(loadOrBuildPaperEngine(DOCUMENTS, path).reused).toBe(false);
    const again = loadOrBuildPaperEngine(DOCUMENTS, path);
    expect(again.reused).toBe(true);
    expect(again.engine.search("ICCV", { limit: 3 }).map((h) => h.id)).toEqual(["2210.00828"]);
    const changed = DOCUMENTS.map((d, i) =>
      i === 0 ? { ...d, abstract: `${d.abstract} Lattice gauge theory.` } : d,
    );
    expect(corpusFingerprint(changed)).not.toBe(corpusFingerprint(DOCUMENTS));
    const rebuilt = loadOrBuildPaperEngine(changed, path);
    expect(rebuilt.reused).toBe(false);
    expect(rebuilt.engine.search("lattice gauge", { limit: 3 }).map((h) => h.id)).toEqual(["2305.09088"]);
  });

  it("gives PaperIndex a factory that builds once and reloads after", () => {
    const path = join(dir, "d.pbix");
    const factory = createPersistentPaperEngine(path);
    const first = factory(DOCUMENTS);
    const builtAt = statSync(path).mtimeMs;
    const second = factory(DOCUMENTS);
    expect(statSync(path).mtimeMs).toBe(builtAt);
    expect(second.search("hesian rank", { limit: 3 })).toEqual(first.search("hesian rank", { limit: 3 }));
  });

  it("rebuilds over a damaged file", () => {
    const path = join(dir, "c.pbix");
    writeFileSync(path, "garbage");
    const { engine, reused } = loadOrBuildPaperEngine(DOCUMENTS, path);
    expect(reused).toBe(false);
    expect(engine.search("hessian", { limit: 1 })).toHaveLength(1);
    expect(statSync(path).size).toBeGreaterThan(100);
    expect(readFileSync(path).subarray(0, 4).toString()).toBe("PBIX");
  });
});
