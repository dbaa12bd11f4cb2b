/**
 * The compact word-vector cache on disk: a typed file (see typed-file.ts), magic "PBWV", whose JSON
 * header holds the source, sizes and array lengths. Reading makes typed-array views on the file's
 * bytes (no copy, no parsing).
 */
import {
  type ArrayLayout,
  inLayoutOrder,
  type LengthsOf,
  lengthsOf,
  openTypedFile,
  type Pager,
  readTypedFile,
  type TypedFileFormat,
  type TypedFileReader,
  writeTypedFile,
} from "../../typed-file.ts";
import type { WordVectorData } from "./word-vectors.ts";

/** Bump when the layout, the kept words or the quantisation changes. */
export const VECTOR_FILE_VERSION = 3;
const VECTOR_FILE: TypedFileFormat = {
  magic: "PBWV",
  version: VECTOR_FILE_VERSION,
  name: "word-vector",
  foreign: "not a word-vector file",
};

const ARRAYS = {
  vectors: "i8",
  scales: "f32",
  wordOffsets: "i32",
  wordBytes: "u8",
  table: "i32",
} as const satisfies ArrayLayout;

interface Header {
  source: string;
  dims: number;
  count: number;
  lengths: LengthsOf<typeof ARRAYS>;
}

export function serializeWordVectors(data: WordVectorData): Buffer {
  const header: Header = {
    source: data.source,
    dims: data.dims,
    count: data.count,
    lengths: lengthsOf(ARRAYS, data),
  };
  return writeTypedFile(VECTOR_FILE, header, inLayoutOrder(ARRAYS, data));
}

function readArrays(file: TypedFileReader<Header>): WordVectorData {
  return {
    source: file.header.source,
    dims: file.header.dims,
    count: file.header.count,
    ...file.arrays(ARRAYS, file.header.lengths),
  };
}

function checked(result: WordVectorData): WordVectorData {
  const tableSize = result.table.length;
  if (
    result.vectors.length !== result.count * result.dims ||
    result.wordOffsets.length !== result.count + 1 ||
    tableSize === 0 ||
    (tableSize & (tableSize - 1)) !== 0
  )
    throw new Error("word-vector file is inconsistent");
  return result;
}

/** Checks and opens saved bytes; throws when they are not an intact word-vector file of this format. */
export function deserializeWordVectors(bytes: Uint8Array): WordVectorData {
  return checked(readTypedFile(VECTOR_FILE, bytes, readArrays));
}

/**
 * Opens a saved file reading all but the vectors themselves (a tenth of it), which are read a
 * block of rows at a time as words are used; throws like `deserializeWordVectors`.
 */
export function openWordVectorsFile(path: string): { data: WordVectorData; pager: Pager } {
  return openTypedFile(VECTOR_FILE, path, (file: TypedFileReader<Header>) => {
    const data = checked(readArrays(file));
    for (const part of [data.scales, data.wordOffsets, data.wordBytes, data.table]) file.pager.load(part);
    return { data, pager: file.pager };
  });
}
