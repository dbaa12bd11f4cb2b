/**
 * Save and restore a built engine, so a large corpus reloads in about a second instead of being
 * indexed again (and its documents, with every abstract's LaTeX cleaned, are never made).
 *
 * File layout: "PBIX" magic, format version (u32), CRC-32 of every byte after the first 16 (u32),
 * header length (u32), a JSON header (fingerprint, vocabulary, array lengths), padding to 8 bytes,
 * each typed array's raw bytes, each 8-aligned (the inverted index's, then those for meaning when
 * it was built with word vectors), then the short fields as JSON (read only when the caller has no
 * papers to take them from). Restoring makes typed-array views on the file's bytes.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
import { crc32 } from "node:zlib";
import {
  type DocumentSource,
  documentSource,
  type SearchDocument,
  type SearchEngineFactory,
} from "./engine.ts";
import type { IndexData } from "./inverted-index.ts";
import {
  type MeaningVectors,
  PaperEngine,
  type ShortFieldArrays,
  type ShortFields,
  shortFieldArrays,
  shortFieldsFromArrays,
  shortFieldsOf,
  type VectorSupply,
} from "./paper-engine.ts";
import type { MeaningData } from "./semantic/meaning-index.ts";
import { preferCacheDirs, sharedVectorSource, sharedWordVectors } from "./semantic/vector-store.ts";

const MAGIC = "PBIX";
/** Bump whenever the index layout or the term pipeline (tokenizer, spelling, stemming) changes. */
export const FORMAT_VERSION = 4;
const PREFIX_BYTES = 16;
/** Vocabulary words never hold a line break (the tokenizer splits on whitespace): one string, split on load. */
const WORD_SEPARATOR = "\n";

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

type MeaningArrayName =
  | "termRow"
  | "docVectors"
  | "docScales"
  | "centroids"
  | "clusterOffsets"
  | "clusterTerms"
  | "common";
const MEANING_ARRAYS: readonly { name: MeaningArrayName; kind: "i32" | "i8" | "f32" }[] = [
  { name: "termRow", kind: "i32" },
  { name: "docVectors", kind: "i8" },
  { name: "docScales", kind: "f32" },
  { name: "centroids", kind: "f32" },
  { name: "clusterOffsets", kind: "i32" },
  { name: "clusterTerms", kind: "i32" },
  { name: "common", kind: "f32" },
];
const WIDTH = { i32: 4, i8: 1, f32: 4 } as const;

interface Header {
  fingerprint: string;
  docCount: number;
  terms: string;
  surfaces: string;
  lengths: Record<ArrayName, number>;
  /** Present when the index was built with word vectors. */
  meaning?: { source: string; dims: number; lengths: Record<MeaningArrayName, number> };
  fieldsBytes: number;
}

const pad8 = (n: number) => (n + 7) & ~7;

/** Identifies a document set: a saved index is only reused for the same one. */
export function corpusFingerprint(documents: readonly SearchDocument[]): string {
  return documentSource(documents).fingerprint();
}

function joinWords(words: readonly string[], what: string): string {
  for (const word of words) {
    if (word.includes(WORD_SEPARATOR))
      throw new Error(`a ${what} holds a line break: ${JSON.stringify(word)}`);
  }
  return words.join(WORD_SEPARATOR);
}

const splitWords = (text: string): string[] => (text === "" ? [] : text.split(WORD_SEPARATOR));

export function serializeEngine(engine: PaperEngine, fingerprint = ""): Buffer {
  const { index, fields, meaning } = engine.snapshot;
  const lengths = {} as Record<ArrayName, number>;
  for (const { name } of ARRAYS) lengths[name] = index[name].length;
  const meaningLengths = {} as Record<MeaningArrayName, number>;
  if (meaning) for (const { name } of MEANING_ARRAYS) meaningLengths[name] = meaning[name].length;
  const fieldsBytes = Buffer.from(JSON.stringify(shortFieldArrays(fields)), "utf8");
  const header: Header = {
    fingerprint,
    docCount: index.docCount,
    terms: joinWords(index.terms, "term"),
    surfaces: joinWords(index.surfaces, "word"),
    lengths,
    ...(meaning ? { meaning: { source: meaning.source, dims: meaning.dims, lengths: meaningLengths } } : {}),
    fieldsBytes: fieldsBytes.length,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  let size = pad8(PREFIX_BYTES + headerBytes.length);
  for (const { name } of ARRAYS) size += pad8(index[name].byteLength);
  if (meaning) for (const { name } of MEANING_ARRAYS) size += pad8(meaning[name].byteLength);
  size += fieldsBytes.length;
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(out, PREFIX_BYTES);
  let at = pad8(PREFIX_BYTES + headerBytes.length);
  for (const { name } of ARRAYS) {
    const array = index[name];
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += pad8(array.byteLength);
  }
  if (meaning) {
    for (const { name } of MEANING_ARRAYS) {
      const array = meaning[name];
      out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
      at += pad8(array.byteLength);
    }
  }
  fieldsBytes.copy(out, at);
  out.writeUInt32LE(crc32(out.subarray(PREFIX_BYTES)), 8);
  return out;
}

/** A saved index, checked and opened: its fingerprint is known before any engine is made. */
export interface SavedIndex {
  fingerprint: string;
  docCount: number;
  /** The word vectors (name@version) it was built with; undefined: built without. */
  meaningSource?: string;
  /**
   * The engine; `fields` (ids, titles, ... in document order) spare reading the file's copies;
   * `vectors` answer by meaning when they are the ones the index was built with.
   */
  engine(fields?: ShortFields, vectors?: VectorSupply): PaperEngine;
}

/** Check and open saved bytes; throws when they are not an intact saved index of this format. */
export function openSavedIndex(bytes: Uint8Array): SavedIndex {
  // Typed-array views need 8-aligned offsets; a pooled small Buffer may not start aligned.
  const data = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  if (data.byteLength < PREFIX_BYTES) throw new Error("not a paperbot index file");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const magic = String.fromCharCode(data[0] ?? 0, data[1] ?? 0, data[2] ?? 0, data[3] ?? 0);
  if (magic !== MAGIC) throw new Error("not a paperbot index file");
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) throw new Error(`index format ${version}, expected ${FORMAT_VERSION}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX_BYTES + headerLength > data.byteLength) throw new Error("index file is truncated");
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const header = JSON.parse(buffer.toString("utf8", PREFIX_BYTES, PREFIX_BYTES + headerLength)) as Header;
  let at = pad8(PREFIX_BYTES + headerLength);
  const arrays = {} as Record<ArrayName, Int32Array | Uint8Array | Float64Array>;
  for (const { name, kind } of ARRAYS) {
    const n = header.lengths[name];
    const width = kind === "i32" ? 4 : kind === "f64" ? 8 : 1;
    if (at + n * width > data.byteLength) throw new Error("index file is truncated");
    const offset = data.byteOffset + at;
    arrays[name] =
      kind === "i32"
        ? new Int32Array(data.buffer, offset, n)
        : kind === "f64"
          ? new Float64Array(data.buffer, offset, n)
          : new Uint8Array(data.buffer, offset, n);
    at += pad8(n * width);
  }
  let meaning: MeaningData | undefined;
  if (header.meaning) {
    const found = {} as Record<MeaningArrayName, Int32Array | Int8Array | Float32Array>;
    for (const { name, kind } of MEANING_ARRAYS) {
      const n = header.meaning.lengths[name];
      if (at + n * WIDTH[kind] > data.byteLength) throw new Error("index file is truncated");
      const offset = data.byteOffset + at;
      found[name] =
        kind === "i32"
          ? new Int32Array(data.buffer, offset, n)
          : kind === "i8"
            ? new Int8Array(data.buffer, offset, n)
            : new Float32Array(data.buffer, offset, n);
      at += pad8(n * WIDTH[kind]);
    }
    meaning = {
      source: header.meaning.source,
      dims: header.meaning.dims,
      termRow: found.termRow as Int32Array,
      docVectors: found.docVectors as Int8Array,
      docScales: found.docScales as Float32Array,
      centroids: found.centroids as Float32Array,
      clusterOffsets: found.clusterOffsets as Int32Array,
      clusterTerms: found.clusterTerms as Int32Array,
      common: found.common as Float32Array,
    };
  }
  const fieldsAt = at;
  if (fieldsAt + header.fieldsBytes !== data.byteLength) throw new Error("index file is truncated");
  if (crc32(data.subarray(PREFIX_BYTES)) !== view.getUint32(8, true))
    throw new Error("index file is damaged");
  return {
    fingerprint: header.fingerprint,
    docCount: header.docCount,
    meaningSource: header.meaning?.source,
    engine(fields, vectors) {
      const index: IndexData = {
        docCount: header.docCount,
        terms: splitWords(header.terms),
        surfaces: splitWords(header.surfaces),
        surfaceTerm: arrays.surfaceTerm as Int32Array,
        postOffsets: arrays.postOffsets as Int32Array,
        postDocs: arrays.postDocs as Int32Array,
        postImpact: arrays.postImpact as Uint8Array,
        fwdOffsets: arrays.fwdOffsets as Int32Array,
        fwdTerms: arrays.fwdTerms as Int32Array,
        fwdImpact: arrays.fwdImpact as Uint8Array,
        typoTable: arrays.typoTable as Float64Array,
      };
      const shortFields =
        fields ??
        shortFieldsFromArrays(
          JSON.parse(buffer.toString("utf8", fieldsAt, fieldsAt + header.fieldsBytes)) as ShortFieldArrays,
        );
      return new PaperEngine({ index, fields: shortFields, meaning }, vectors);
    },
  };
}

/** Restore an engine on its own (short fields from the file); throws like `openSavedIndex`. */
export function deserializeEngine(
  bytes: Uint8Array,
  vectors: MeaningVectors = sharedWordVectors(),
): { engine: PaperEngine; fingerprint: string } {
  const saved = openSavedIndex(bytes);
  return { engine: saved.engine(undefined, vectors), fingerprint: saved.fingerprint };
}

/**
 * Write atomically (temp file + rename), so a crash never leaves half an index behind. The folder
 * must exist: paperbot never creates folders for its state (the start checks INDEX_CACHE_PATH).
 */
export function saveEngine(engine: PaperEngine, path: string, fingerprint = ""): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, serializeEngine(engine, fingerprint));
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function loadEngine(
  path: string,
  vectors?: MeaningVectors,
): { engine: PaperEngine; fingerprint: string } {
  return deserializeEngine(readFileSync(path), vectors);
}

/** What happened to the saved index at a start or reload, for the log (and the benchmark). */
export interface IndexCacheOutcome {
  path: string;
  reused: boolean;
  /** Why the saved index was not reused. */
  reason?: string;
  /** Reading and checking the saved index. */
  loadMs: number;
  /** Making the documents (LaTeX clean-up) and building, when not reused. */
  documentsMs?: number;
  buildMs?: number;
  saveMs?: number;
  /** Saving failed; the engine in memory is complete, the next start builds again. */
  saveError?: string;
}

function reuse(
  source: DocumentSource,
  path: string,
  vectorSource: string | undefined,
  vectors: VectorSupply,
): { engine?: PaperEngine; reason: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { reason: code === "ENOENT" ? "no saved index yet" : `cannot read it (${code ?? "error"})` };
  }
  try {
    const saved = openSavedIndex(bytes);
    if (saved.docCount !== source.size || saved.fingerprint !== source.fingerprint()) {
      return { reason: "it was built from other papers" };
    }
    // Built without the vectors at hand: rebuild to answer by meaning. (Vectors gone: reuse, lexically.)
    if (vectorSource && saved.meaningSource !== vectorSource) {
      return {
        reason: saved.meaningSource
          ? `it was built with other word vectors (${saved.meaningSource})`
          : "it was built without word vectors",
      };
    }
    // Same papers: the short fields share the corpus strings instead of keeping the file's copies.
    return { engine: saved.engine(shortFieldsOf(source), vectors), reason: "" };
  } catch (error) {
    return { reason: `it is unusable (${(error as Error).message})` };
  }
}

/**
 * The saved index at `path` when it was built from exactly these documents; otherwise build one
 * and save it (best effort: a read-only disk only costs the next start a rebuild).
 */
export function loadOrBuildPaperEngine(
  documents: DocumentSource | readonly SearchDocument[],
  path: string,
  vectors?: VectorSupply,
): { engine: PaperEngine; outcome: IndexCacheOutcome } {
  const source = "fingerprint" in documents ? documents : documentSource(documents);
  const l0 = performance.now();
  // The converted word vectors may also be cached beside the index (when node_modules is read-only).
  preferCacheDirs([dirname(path)]);
  // A reused index reads the word vectors on its first question, not at start.
  const supply = vectors ?? sharedWordVectors;
  const expected = typeof supply === "function" ? sharedVectorSource() : supply.vectors?.source;
  const found = reuse(source, path, expected, supply);
  const loadMs = performance.now() - l0;
  if (found.engine) return { engine: found.engine, outcome: { path, reused: true, loadMs } };
  const outcome: IndexCacheOutcome = { path, reused: false, reason: found.reason, loadMs };
  const d0 = performance.now();
  const made = source.documents();
  outcome.documentsMs = performance.now() - d0;
  const b0 = performance.now();
  const engine = PaperEngine.fromSource(source, made, typeof supply === "function" ? supply() : supply);
  outcome.buildMs = performance.now() - b0;
  const s0 = performance.now();
  try {
    saveEngine(engine, path, source.fingerprint());
    outcome.saveMs = performance.now() - s0;
  } catch (error) {
    outcome.saveError = (error as Error).message;
  }
  return { engine, outcome };
}

/**
 * A factory for PaperIndex that keeps the built index at `path`: the first start builds and saves
 * it, later starts with the same papers reload it and never clean an abstract's LaTeX.
 */
export function createPersistentPaperEngine(
  path: string,
  onOutcome?: (outcome: IndexCacheOutcome) => void,
): SearchEngineFactory {
  return (source) => {
    const { engine, outcome } = loadOrBuildPaperEngine(source, path);
    onOutcome?.(outcome);
    return engine;
  };
}
