import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { documentSource, type SearchDocument } from "../../../src/core/search/engine.ts";
import { PaperEngine, shortFieldArrays, shortFieldsOf } from "../../../src/core/search/paper-engine.ts";
import {
  corpusFingerprint,
  createPersistentPaperEngine,
  deserializeEngine,
  FORMAT_VERSION,
  type IndexCacheOutcome,
  loadEngine,
  loadOrBuildPaperEngine,
  openSavedIndex,
  openSavedIndexFile,
  saveEngine,
  serializeEngine,
} from "../../../src/core/search/persist.ts";
import { sharedWordVectors } from "../../../src/core/search/semantic/vector-store.ts";
import { IN_MEMORY } from "../../../src/core/typed-file.ts";
import { pad8, typedFileParts } from "../../fixtures/typed-file-layout.ts";
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

  it("opened from disk, reads as queries go, answers (and asks) the same, and saves whole again", () => {
    const built = PaperEngine.build(DOCUMENTS);
    const path = join(dir, "paged.pbix");
    saveEngine(built, path, "fp");
    const saved = openSavedIndexFile(path);
    expect(saved.fingerprint).toBe("fp");
    const engine = saved.engine(undefined, sharedWordVectors);
    for (const q of QUERIES) {
      expect(engine.search(q, { limit: 5 })).toEqual(built.search(q, { limit: 5 }));
      expect(engine.searchByMeaning(q, { limit: 5 })).toEqual(built.searchByMeaning(q, { limit: 5 }));
    }
    expect(serializeEngine(saved.engine(), "fp").equals(readFileSync(path))).toBe(true);
  });

  it("opened from disk, reads only the blocks a query needs", () => {
    const many = Array.from({ length: 3_000 }, (_, i) => {
      const base = DOCUMENTS[i % DOCUMENTS.length] as (typeof DOCUMENTS)[number];
      return { ...base, id: `x${i}`, abstract: `${base.abstract} marker${i} group${i % 97}` };
    });
    const built = PaperEngine.build(many, { problem: "lexical only here" });
    const path = join(dir, "many.pbix");
    saveEngine(built, path);
    const engine = openSavedIndexFile(path).engine(shortFieldsOf(documentSource(many)));
    // A posting read is never 0 (its impact is at least 1).
    const read = () => engine.snapshot.index.postings.filter((posting) => posting !== 0).length;
    const all = built.snapshot.index.postings.length;
    const before = read();
    // A word whose postings lie mid-file, in no block shared with an array read at open.
    expect(engine.search("marker1500", { limit: 5 })).toEqual(built.search("marker1500", { limit: 5 }));
    expect(read()).toBeGreaterThan(before);
    expect(read()).toBeLessThan(all / 2);
  });

  it("preloads, for a serving process, what a query reads first and the typo table", async () => {
    const many = Array.from({ length: 3_000 }, (_, i) => ({
      ...(DOCUMENTS[0] as SearchDocument),
      id: `y${i}`,
      title: `marker${i}`,
    }));
    const built = PaperEngine.build(many, { problem: "lexical only here" });
    const path = join(dir, "preload.pbix");
    saveEngine(built, path);
    const saved = openSavedIndexFile(path);
    const filled = (table: Float64Array) => table.filter((entry) => entry !== 0).length;
    const cold = saved.engine().snapshot.index.typoTable;
    expect(filled(cold)).toBeLessThan(filled(built.snapshot.index.typoTable) / 10);
    await saved.preload();
    const { typoTable } = saved.engine().snapshot.index;
    expect(Array.from(typoTable)).toEqual(Array.from(built.snapshot.index.typoTable));
  });

  it("restores from bytes that do not start 8-byte aligned", () => {
    const bytes = serializeEngine(PaperEngine.build(DOCUMENTS));
    const shifted = new Uint8Array(bytes.length + 3).subarray(3);
    shifted.set(bytes);
    expect(deserializeEngine(shifted).engine.search("hessian", { limit: 1 })[0]?.id).toBe("2305.09088");
  });

  it("rejects files that are not an index, are cut short or have damaged bytes", () => {
    expect(() => deserializeEngine(new TextEncoder().encode("hello world, not an index"))).toThrow(
      /not a paperbot index/,
    );
    expect(() => deserializeEngine(new TextEncoder().encode("PBIX"))).toThrow(/not a paperbot index/);
    const bytes = serializeEngine(PaperEngine.build(DOCUMENTS));
    expect(() => deserializeEngine(bytes.subarray(0, bytes.length - 64))).toThrow(/truncated/);
    const flipped = Buffer.from(bytes);
    const middle = Math.floor(flipped.length / 2);
    flipped[middle] = (flipped[middle] as number) ^ 0xff;
    expect(() => deserializeEngine(flipped)).toThrow(/damaged/);
  });

  it("names the index in each refusal, with the format it found", () => {
    const bytes = serializeEngine(PaperEngine.build(DOCUMENTS));
    const older = Buffer.from(bytes);
    older.writeUInt32LE(FORMAT_VERSION - 1, 4);
    expect(() => openSavedIndex(older)).toThrow(
      new RegExp(`^index format ${FORMAT_VERSION - 1}, expected ${FORMAT_VERSION}$`),
    );
    expect(() => openSavedIndex(bytes.subarray(0, bytes.length - 1))).toThrow(/^index file is truncated$/);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 2] = (flipped[flipped.length - 2] as number) ^ 0xff;
    expect(() => openSavedIndex(flipped)).toThrow(/^index file is damaged$/);
  });

  it("keeps the saved layout, so indexes saved by earlier builds of this format still load", () => {
    const engine = PaperEngine.build(DOCUMENTS);
    const bytes = serializeEngine(engine, "fp");
    const { magic, version, header, body, intact } = typedFileParts(bytes);
    expect(magic).toBe("PBIX");
    expect(version).toBe(FORMAT_VERSION);
    expect(intact).toBe(true);
    expect(Object.keys(header)).toEqual([
      "fingerprint",
      "docCount",
      "lengths",
      "words",
      "meaning",
      "fieldsBytes",
    ]);
    const index = { i32: 4, u8: 1, f64: 8 } as const;
    const meaning = { i32: 4, i8: 1, f32: 4 } as const;
    const arrays: [string, number, ArrayBufferView][] = [
      ["surfaceTerm", index.i32, engine.snapshot.index.surfaceTerm],
      ["postOffsets", index.i32, engine.snapshot.index.postOffsets],
      ["postings", index.i32, engine.snapshot.index.postings],
      ["fwdOffsets", index.i32, engine.snapshot.index.fwdOffsets],
      ["fwdRows", index.u8, engine.snapshot.index.fwdRows],
      ["typoTable", index.f64, engine.snapshot.index.typoTable],
      ["typoStarts", index.i32, engine.snapshot.index.typoStarts],
      ["termTable", index.i32, engine.snapshot.index.termTable],
    ];
    expect(Object.keys(header.lengths)).toEqual(arrays.map(([name]) => name));
    // The vocabularies: each word's UTF-8 bytes one after another, and where each ends.
    const { terms, surfaces } = engine.snapshot.index;
    const packed = (words: typeof terms): [Uint8Array, Int32Array] => {
      const list = Array.from({ length: words.length }, (_, i) => words.at(i) as string);
      let end = 0;
      const ends = Int32Array.from(list, (word) => (end += Buffer.byteLength(word)));
      return [Buffer.from(list.join("")), ends];
    };
    const [termBytes, termEnds] = packed(terms);
    const [surfaceBytes, surfaceEnds] = packed(surfaces);
    const wordArrays: [string, number, ArrayBufferView][] = [
      ["termBytes", index.u8, termBytes],
      ["termEnds", index.i32, termEnds],
      ["surfaceBytes", index.u8, surfaceBytes],
      ["surfaceEnds", index.i32, surfaceEnds],
    ];
    expect(Object.keys(header.words)).toEqual(wordArrays.map(([name]) => name));
    expect(terms.length).toBeGreaterThan(50);
    const built = engine.snapshot.meaning;
    if (!built) throw new Error("the test needs the word vectors");
    const meaningArrays: [string, number, ArrayBufferView][] = [
      ["termRow", meaning.i32, built.termRow],
      ["docVectors", meaning.i8, built.docVectors],
      ["docScales", meaning.f32, built.docScales],
      ["centroids", meaning.f32, built.centroids],
      ["clusterOffsets", meaning.i32, built.clusterOffsets],
      ["clusterTerms", meaning.i32, built.clusterTerms],
      ["common", meaning.f32, built.common],
    ];
    expect(Object.keys(header.meaning.lengths)).toEqual(meaningArrays.map(([name]) => name));
    let at = 0;
    const lengths = { ...header.lengths, ...header.words, ...header.meaning.lengths };
    for (const [name, width, array] of [...arrays, ...wordArrays, ...meaningArrays]) {
      const raw = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
      expect(lengths[name] * width).toBe(array.byteLength);
      expect(body.subarray(at, at + array.byteLength).equals(raw)).toBe(true);
      at += pad8(array.byteLength);
    }
    expect(at + header.fieldsBytes).toBe(body.length);
    expect(JSON.parse(body.toString("utf8", at))).toEqual(
      JSON.parse(JSON.stringify(shortFieldArrays(engine.snapshot.fields))),
    );
    const lexical = serializeEngine(PaperEngine.build(DOCUMENTS, { problem: "not installed" }));
    const lexicalHeader = typedFileParts(lexical).header;
    expect(Object.keys(lexicalHeader)).not.toContain("meaning");
  });

  it("tells the fingerprint before making an engine", () => {
    const saved = openSavedIndex(serializeEngine(PaperEngine.build(DOCUMENTS), "abc"));
    expect(saved.fingerprint).toBe("abc");
    expect(saved.docCount).toBe(DOCUMENTS.length);
  });

  it("reuses a saved index only for the same documents", () => {
    const path = join(dir, "b.pbix");
    expect(loadOrBuildPaperEngine(DOCUMENTS, path).outcome).toMatchObject({
      reused: false,
      reason: "no saved index yet",
    });
    const again = loadOrBuildPaperEngine(DOCUMENTS, path);
    expect(again.outcome.reused).toBe(true);
    expect(again.engine.search("ICCV", { limit: 3 }).map((h) => h.id)).toEqual(["2210.00828"]);
    const changed = DOCUMENTS.map((d, i) =>
      i === 0 ? { ...d, abstract: `${d.abstract} Lattice gauge theory.` } : d,
    );
    expect(corpusFingerprint(changed)).not.toBe(corpusFingerprint(DOCUMENTS));
    const rebuilt = loadOrBuildPaperEngine(changed, path);
    expect(rebuilt.outcome).toMatchObject({ reused: false, reason: "it was built from other papers" });
    expect(rebuilt.engine.search("lattice gauge", { limit: 3 }).map((h) => h.id)).toEqual(["2305.09088"]);
  });

  it("after building, serves the index from the file it saved, as a restart would; else the built one", () => {
    const built = PaperEngine.build(DOCUMENTS);
    const path = join(dir, "served.pbix");
    const fresh = loadOrBuildPaperEngine(DOCUMENTS, path);
    expect(fresh.outcome.reused).toBe(false);
    // Read from disk as queries go: the pager is the opened file's, not the in-memory one.
    expect(fresh.engine.snapshot.index.pager).not.toBe(IN_MEMORY);
    for (const q of QUERIES)
      expect(fresh.engine.search(q, { limit: 5 })).toEqual(built.search(q, { limit: 5 }));
    const unsaved = loadOrBuildPaperEngine(DOCUMENTS, join(dir, "no-such-folder", "index"));
    expect(unsaved.outcome.saveError).toBeDefined();
    expect(unsaved.engine.snapshot.index.pager).toBe(IN_MEMORY);
    expect(unsaved.engine.search("hesian", { limit: 5 })).toEqual(built.search("hesian", { limit: 5 }));
  });

  it("makes no documents when the saved index is reused", () => {
    const path = join(dir, "e.pbix");
    let made = 0;
    const counting = () => {
      const source = documentSource(DOCUMENTS);
      return {
        ...source,
        documents: () => {
          made++;
          return source.documents();
        },
      };
    };
    loadOrBuildPaperEngine(counting(), path);
    expect(made).toBe(1);
    const { engine, outcome } = loadOrBuildPaperEngine(counting(), path);
    expect(outcome.reused).toBe(true);
    expect(made).toBe(1);
    expect(engine.search("hesian rank", { limit: 1 })[0]?.id).toBe("2305.09088");
  });

  it("gives PaperIndex a factory that builds once, reloads after and reports each", () => {
    const path = join(dir, "d.pbix");
    const outcomes: IndexCacheOutcome[] = [];
    const factory = createPersistentPaperEngine(path, (outcome) => outcomes.push(outcome));
    const first = factory(documentSource(DOCUMENTS));
    const builtAt = statSync(path).mtimeMs;
    const second = factory(documentSource(DOCUMENTS));
    expect(statSync(path).mtimeMs).toBe(builtAt);
    expect(second.search("hesian rank", { limit: 3 })).toEqual(first.search("hesian rank", { limit: 3 }));
    expect(outcomes.map((o) => o.reused)).toEqual([false, true]);
  });

  it("rebuilds over a damaged file", () => {
    const path = join(dir, "c.pbix");
    writeFileSync(path, "garbage");
    const { engine, outcome } = loadOrBuildPaperEngine(DOCUMENTS, path);
    expect(outcome.reused).toBe(false);
    expect(outcome.reason).toMatch(/unusable/);
    expect(engine.search("hessian", { limit: 1 })).toHaveLength(1);
    expect(statSync(path).size).toBeGreaterThan(100);
    expect(readFileSync(path).subarray(0, 4).toString()).toBe("PBIX");
  });

  it("keeps serving from memory when the index cannot be saved", () => {
    const blocker = join(dir, "not-a-dir");
    writeFileSync(blocker, "a file where a folder should be");
    const { engine, outcome } = loadOrBuildPaperEngine(DOCUMENTS, join(blocker, "index.pbix"));
    expect(outcome.saveError).toBeTruthy();
    expect(engine.search("hessian", { limit: 1 })).toHaveLength(1);
  });
});
