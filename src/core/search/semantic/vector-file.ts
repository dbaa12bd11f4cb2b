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
  readTypedFile,
  type TypedFileFormat,
  type TypedFileReader,
  writeTypedFile,
} from "../../typed-file.ts";
import type { WordVectorData } from "./word-vectors.ts";

/** Bump when the layout, the kept words or the quantisation changes. */
export const VECTOR_FILE_VERSION = 2;
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

/** Checks and opens saved bytes; throws when they are not an intact word-vector file of this format. */
export function deserializeWordVectors(bytes: Uint8Array): WordVectorData {
  const result: WordVectorData = readTypedFile(VECTOR_FILE, bytes, (file: TypedFileReader<Header>) => ({
    source: file.header.source,
    dims: file.header.dims,
    count: file.header.count,
    ...file.arrays(ARRAYS, file.header.lengths),
  }));
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
