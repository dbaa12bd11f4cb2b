/**
 * Save and restore a built engine, so a large corpus reloads in well under a second instead of
 * being indexed again.
 *
 * File layout: "PBIX" magic, format version (u32), header length (u32), a JSON header (strings
 * and array lengths), padding to 8 bytes, then each typed array's raw bytes, each 8-aligned.
 * Restoring makes typed-array views on the file's bytes: no per-entry work.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { SearchDocument, SearchEngineFactory } from "./engine.ts";
import type { IndexData } from "./inverted-index.ts";
import { type EngineSnapshot, PaperEngine, type ShortFields, shortFieldsOf } from "./paper-engine.ts";

const MAGIC = "PBIX";
/** Bump whenever the index layout or the term pipeline (tokenizer, spelling, stemming) changes. */
export const FORMAT_VERSION = 1;

type ArrayName =
  | "surfaceTerm"
  | "postOffsets"
  | "postDocs"
  | "postImpact"
  | "fwdOffsets"
  | "fwdTerms"
  | "fwdImpact"
  | "typoTable";
const ARRAYS: readonly { name: ArrayName; kind: "i32" | "u8" | "f64" }[] = [
  { name: "surfaceTerm", kind: "i32" },
  { name: "postOffsets", kind: "i32" },
  { name: "postDocs", kind: "i32" },
  { name: "postImpact", kind: "u8" },
  { name: "fwdOffsets", kind: "i32" },
  { name: "fwdTerms", kind: "i32" },
  { name: "fwdImpact", kind: "u8" },
  { name: "typoTable", kind: "f64" },
];

interface Header {
  fingerprint: string;
  docCount: number;
  terms: string[];
  surfaces: string[];
  fields: ShortFields;
  lengths: Record<ArrayName, number>;
}

const pad8 = (n: number) => (n + 7) & ~7;

/** Identifies a document set (and the format): a saved index is only reused for the same one. */
export function corpusFingerprint(documents: readonly SearchDocument[]): string {
  const hash = createHash("sha256");
  hash.update(`v${FORMAT_VERSION}\n`);
  for (const d of documents) {
    hash.update(d.id);
    hash.update("\u0000");
    hash.update(d.title);
    hash.update("\u0000");
    hash.update(d.authors);
    hash.update("\u0000");
    hash.update(d.venue);
    hash.update("\u0000");
    hash.update(d.categories);
    hash.update("\u0000");
    hash.update(d.abstract);
    hash.update("\u0001");
  }
  return hash.digest("hex").slice(0, 32);
}

export function serializeEngine(engine: PaperEngine, fingerprint = ""): Buffer {
  const { index, fields } = engine.snapshot;
  const lengths = {} as Record<ArrayName, number>;
  for (const { name } of ARRAYS) lengths[name] = index[name].length;
  const header: Header = {
    fingerprint,
    docCount: index.docCount,
    terms: index.terms,
    surfaces: index.surfaces,
    fields,
    lengths,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  let size = pad8(12 + headerBytes.length);
  for (const { name } of ARRAYS) size += pad8(index[name].byteLength);
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(out, 12);
  let at = pad8(12 + headerBytes.length);
  for (const { name } of ARRAYS) {
    const array = index[name];
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += pad8(array.byteLength);
  }
  return out;
}

/** Restore an engine; throws when the bytes are not a saved index of this format. */
export function deserializeEngine(bytes: Uint8Array): { engine: PaperEngine; fingerprint: string } {
  // Typed-array views need 8-aligned offsets; a pooled small Buffer may not start aligned.
  const data = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const magic = String.fromCharCode(data[0] ?? 0, data[1] ?? 0, data[2] ?? 0, data[3] ?? 0);
  if (magic !== MAGIC) throw new Error("not a paperbot index file");
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) throw new Error(`index format ${version}, expected ${FORMAT_VERSION}`);
  const headerLength = view.getUint32(8, true);
  const header = JSON.parse(
    Buffer.from(data.buffer, data.byteOffset + 12, headerLength).toString("utf8"),
  ) as Header;
  let at = data.byteOffset + pad8(12 + headerLength);
  const arrays = {} as Record<ArrayName, Int32Array | Uint8Array | Float64Array>;
  for (const { name, kind } of ARRAYS) {
    const n = header.lengths[name];
    const width = kind === "i32" ? 4 : kind === "f64" ? 8 : 1;
    if (at + n * width > data.byteOffset + data.byteLength) throw new Error("index file is truncated");
    arrays[name] =
      kind === "i32"
        ? new Int32Array(data.buffer, at, n)
        : kind === "f64"
          ? new Float64Array(data.buffer, at, n)
          : new Uint8Array(data.buffer, at, n);
    at += pad8(n * width);
  }
  const index: IndexData = {
    docCount: header.docCount,
    terms: header.terms,
    surfaces: header.surfaces,
    surfaceTerm: arrays.surfaceTerm as Int32Array,
    postOffsets: arrays.postOffsets as Int32Array,
    postDocs: arrays.postDocs as Int32Array,
    postImpact: arrays.postImpact as Uint8Array,
    fwdOffsets: arrays.fwdOffsets as Int32Array,
    fwdTerms: arrays.fwdTerms as Int32Array,
    fwdImpact: arrays.fwdImpact as Uint8Array,
    typoTable: arrays.typoTable as Float64Array,
  };
  const snapshot: EngineSnapshot = { index, fields: header.fields };
  return { engine: new PaperEngine(snapshot), fingerprint: header.fingerprint };
}

/** Write atomically (temp file + rename), so a crash never leaves half an index behind. */
export function saveEngine(engine: PaperEngine, path: string, fingerprint = ""): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, serializeEngine(engine, fingerprint));
  renameSync(temp, path);
}

export function loadEngine(path: string): { engine: PaperEngine; fingerprint: string } {
  return deserializeEngine(readFileSync(path));
}

/**
 * The saved index at `path` when it was built from exactly these documents; otherwise build one
 * and save it (best effort: a read-only disk only costs the next start a rebuild).
 */
export function loadOrBuildPaperEngine(
  documents: readonly SearchDocument[],
  path: string,
): { engine: PaperEngine; reused: boolean } {
  const fingerprint = corpusFingerprint(documents);
  try {
    const saved = loadEngine(path);
    if (saved.fingerprint === fingerprint) {
      // Same documents: share their strings instead of keeping the file's copies.
      const engine = new PaperEngine({
        index: saved.engine.snapshot.index,
        fields: shortFieldsOf(documents),
      });
      return { engine, reused: true };
    }
  } catch {
    // Missing, stale or damaged: rebuild below.
  }
  const engine = PaperEngine.build(documents);
  try {
    saveEngine(engine, path, fingerprint);
  } catch {
    // Not fatal: the engine in memory is complete.
  }
  return { engine, reused: false };
}

/**
 * A factory for PaperIndex that keeps the built index at `path`: the first start builds and saves
 * it, later starts with the same papers reload it in a fraction of the build time.
 */
export function createPersistentPaperEngine(path: string): SearchEngineFactory {
  return (documents) => loadOrBuildPaperEngine(documents, path).engine;
}
