/**
 * Save and restore a built engine, so a large corpus reloads in about a second instead of being
 * indexed again (and its documents, with every abstract's LaTeX cleaned, are never made).
 *
 * A typed file (see typed-file.ts), magic "PBIX": a JSON header (fingerprint, vocabulary, array
 * lengths), the inverted index's arrays, then those for meaning when it was built with word vectors,
 * then the short fields as JSON (read only when the caller has no papers to take them from).
 * Restoring makes typed-array views on the file's bytes.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
import { nextTurn } from "../next-turn.ts";
import {
  type ArrayLayout,
  type ArraysOf,
  inLayoutOrder,
  type LengthsOf,
  lengthsOf,
  openTypedFile,
  type ReadOptions,
  readTypedFile,
  sectionBytes,
  type TypedFileFormat,
  type TypedFileReader,
  writeTypedFile,
} from "../typed-file.ts";
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
import { loadMeaning, type MeaningData } from "./semantic/meaning-index.ts";
import { preferCacheDirs, sharedVectorSource, sharedWordVectors } from "./semantic/vector-store.ts";
import { PackedWords } from "./word-list.ts";

/** Bump whenever the index layout or the term pipeline (tokenizer, spelling, stemming) changes. */
export const FORMAT_VERSION = 9;
const INDEX_FILE: TypedFileFormat = {
  magic: "PBIX",
  version: FORMAT_VERSION,
  name: "index",
  foreign: "not a paperbot index file",
};
const INDEX_ARRAYS = {
  surfaceTerm: "i32",
  postOffsets: "i32",
  postings: "i32",
  fwdOffsets: "i32",
  fwdRows: "u8",
  typoTable: "f64",
  typoStarts: "i32",
  termTable: "i32",
} as const satisfies ArrayLayout;

/** The vocabularies, packed (see word-list.ts). */
const WORD_ARRAYS = {
  termBytes: "u8",
  termEnds: "i32",
  surfaceBytes: "u8",
  surfaceEnds: "i32",
} as const satisfies ArrayLayout;

const MEANING_ARRAYS = {
  termRow: "i32",
  docVectors: "i8",
  docScales: "f32",
  centroids: "f32",
  clusterOffsets: "i32",
  clusterTerms: "i32",
  common: "f32",
} as const satisfies ArrayLayout;

interface Header {
  fingerprint: string;
  docCount: number;
  lengths: LengthsOf<typeof INDEX_ARRAYS>;
  words: LengthsOf<typeof WORD_ARRAYS>;
  /** Present when the index was built with word vectors. */
  meaning?: { source: string; dims: number; lengths: LengthsOf<typeof MEANING_ARRAYS> };
  /** The short fields' JSON, the file's tail. */
  fieldsBytes: number;
}

/** Identifies a document set: a saved index is only reused for the same one. */
export function corpusFingerprint(documents: readonly SearchDocument[]): string {
  return documentSource(documents).fingerprint();
}

export function serializeEngine(engine: PaperEngine, fingerprint = ""): Buffer {
  const { index, fields, meaning } = engine.snapshot;
  // An index opened from disk holds only what was used so far: all of it, first.
  for (const part of inLayoutOrder(INDEX_ARRAYS, index)) index.pager.load(part);
  if (meaning) loadMeaning(meaning, index.pager);
  const fieldsJson = JSON.stringify(shortFieldArrays(fields));
  const terms = PackedWords.of(index.terms);
  const surfaces = PackedWords.of(index.surfaces);
  const words = {
    termBytes: terms.bytes,
    termEnds: terms.ends,
    surfaceBytes: surfaces.bytes,
    surfaceEnds: surfaces.ends,
  };
  const header: Header = {
    fingerprint,
    docCount: index.docCount,
    lengths: lengthsOf(INDEX_ARRAYS, index),
    words: lengthsOf(WORD_ARRAYS, words),
    // JSON leaves `undefined` out: an index built without word vectors has no "meaning" key.
    meaning: meaning && {
      source: meaning.source,
      dims: meaning.dims,
      lengths: lengthsOf(MEANING_ARRAYS, meaning),
    },
    fieldsBytes: Buffer.byteLength(fieldsJson, "utf8"),
  };
  const arrays = [...inLayoutOrder(INDEX_ARRAYS, index), ...inLayoutOrder(WORD_ARRAYS, words)];
  if (meaning) arrays.push(...inLayoutOrder(MEANING_ARRAYS, meaning));
  return writeTypedFile(INDEX_FILE, header, arrays, fieldsJson);
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
  /**
   * Reads what `engine` would read first, and the typo table, a slice per turn of the event loop
   * (for a serving process).
   */
  preload(): Promise<void>;
}

/**
 * Meaning's data with its arrays read on first use: by the first question (or a save), so a
 * process nobody asks a question keeps none of them.
 */
function meaningReadLater(
  source: string,
  dims: number,
  read: () => ArraysOf<typeof MEANING_ARRAYS>,
): MeaningData {
  const data = { source, dims } as MeaningData;
  for (const name of Object.keys(MEANING_ARRAYS) as (keyof typeof MEANING_ARRAYS)[])
    Object.defineProperty(data, name, { get: () => read()[name], enumerable: true });
  return data;
}

/** Bytes at the end of a saved index read apart: the meaning arrays and the short fields. */
function readApartBytes(header: Header): number {
  const meaning = header.meaning?.lengths ? sectionBytes(MEANING_ARRAYS, header.meaning.lengths) : 0;
  return meaning + header.fieldsBytes;
}

/** A saved index's parts as the typed file hands them out (from memory or, paged, from disk). */
function readParts(file: TypedFileReader<Header>) {
  const { header, pager } = file;
  const arrays = file.arrays(INDEX_ARRAYS, header.lengths);
  const words = file.arrays(WORD_ARRAYS, header.words);
  const meaning =
    header.meaning &&
    meaningReadLater(
      header.meaning.source,
      header.meaning.dims,
      file.later(MEANING_ARRAYS, header.meaning.lengths),
    );
  const readFields = file.tail(header.fieldsBytes);
  // What every query reads, loaded before the engine is made (see `engine`, `preload`): the
  // vocabularies too (words are looked up and typos corrected all over them; a few MB). Postings,
  // forward rows, the typo table, the short fields and the meaning arrays (on the first question)
  // are read as used.
  const everyQuery = [
    arrays.surfaceTerm,
    arrays.postOffsets,
    arrays.fwdOffsets,
    arrays.termTable,
    ...Object.values(words),
  ];
  // A serving process also reads the typo table ahead (the first typo would read it whole).
  const ahead = [...everyQuery, arrays.typoTable, arrays.typoStarts];
  return { header, arrays, words, meaning, readFields, pager, everyQuery, ahead };
}

/** Bytes loaded per turn of the event loop by `preload`. */
const PRELOAD_SLICE_BYTES = 256 * 1024;

function savedIndexOf({
  header,
  arrays,
  words,
  meaning,
  readFields,
  pager,
  everyQuery,
  ahead,
}: ReturnType<typeof readParts>): SavedIndex {
  const indexData = (): IndexData => ({
    docCount: header.docCount,
    terms: new PackedWords(words.termBytes, words.termEnds),
    surfaces: new PackedWords(words.surfaceBytes, words.surfaceEnds),
    ...arrays,
    pager,
  });
  const snapshot = (index: IndexData, fields?: ShortFields) => ({
    index,
    fields: fields ?? shortFieldsFromArrays(JSON.parse(readFields().toString("utf8")) as ShortFieldArrays),
    meaning,
  });
  return {
    fingerprint: header.fingerprint,
    docCount: header.docCount,
    meaningSource: header.meaning?.source,
    engine(fields, vectors) {
      for (const part of everyQuery) pager.load(part);
      return new PaperEngine(snapshot(indexData(), fields), vectors);
    },
    async preload() {
      for (const part of ahead) {
        const step = PRELOAD_SLICE_BYTES / part.BYTES_PER_ELEMENT;
        for (let from = 0; from < part.length; from += step) {
          pager.load(part, from, from + step);
          await nextTurn();
        }
      }
    },
  };
}

/**
 * Check and open saved bytes; throws when they are not an intact saved index of this format.
 * `trusted` skips the CRC, for bytes this process's own reload worker just made (see typed-file.ts).
 */
export function openSavedIndex(bytes: Uint8Array, options: ReadOptions = {}): SavedIndex {
  return savedIndexOf(readTypedFile(INDEX_FILE, bytes, readParts, options));
}

/**
 * Open a saved index on disk, reading only its header and the small arrays every query needs; the
 * rest is read (and checked) a block at a time as queries use it. Throws like `openSavedIndex`.
 */
export function openSavedIndexFile(path: string): SavedIndex {
  return savedIndexOf(openTypedFile(INDEX_FILE, path, readParts, readApartBytes));
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
  /** Building (the documents made as they are indexed), when not reused. */
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
  let saved: SavedIndex;
  try {
    saved = openSavedIndexFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { reason: "no saved index yet" };
    return { reason: code ? `cannot read it (${code})` : `it is unusable (${(error as Error).message})` };
  }
  try {
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
  const b0 = performance.now();
  const engine = PaperEngine.fromSource(source, typeof supply === "function" ? supply() : supply);
  outcome.buildMs = performance.now() - b0;
  const s0 = performance.now();
  try {
    saveEngine(engine, path, source.fingerprint());
    outcome.saveMs = performance.now() - s0;
  } catch (error) {
    outcome.saveError = (error as Error).message;
    return { engine, outcome };
  }
  // Served from the saved file, as after a restart: the built arrays and the build's garbage go.
  // (Another process may have saved other papers' index since: then the built one serves.)
  return { engine: reuse(source, path, expected, supply).engine ?? engine, outcome };
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
