/**
 * The compact word-vector cache on disk: "PBWV" magic, format version (u32), CRC-32 of every
 * byte after the first 16 (u32), header length (u32), a JSON header, then each typed array's raw
 * bytes, 8-aligned. Reading makes typed-array views on the file's bytes (no copy, no parsing).
 */
import { crc32 } from "node:zlib";
import type { WordVectorData } from "./word-vectors.ts";

const MAGIC = "PBWV";
/** Bump when the layout, the kept words or the quantisation changes. */
export const VECTOR_FILE_VERSION = 1;
const PREFIX_BYTES = 16;

type ArrayName = "vectors" | "scales" | "wordOffsets" | "wordBytes" | "table";
const ARRAYS: readonly { name: ArrayName; kind: "i8" | "f32" | "i32" | "u8" }[] = [
  { name: "vectors", kind: "i8" },
  { name: "scales", kind: "f32" },
  { name: "wordOffsets", kind: "i32" },
  { name: "wordBytes", kind: "u8" },
  { name: "table", kind: "i32" },
];
const WIDTH = { i8: 1, u8: 1, i32: 4, f32: 4 } as const;

interface Header {
  source: string;
  dims: number;
  count: number;
  lengths: Record<ArrayName, number>;
}

const pad8 = (n: number) => (n + 7) & ~7;

export function serializeWordVectors(data: WordVectorData): Buffer {
  const lengths = {} as Record<ArrayName, number>;
  for (const { name } of ARRAYS) lengths[name] = data[name].length;
  const header: Header = { source: data.source, dims: data.dims, count: data.count, lengths };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  let size = pad8(PREFIX_BYTES + headerBytes.length);
  for (const { name } of ARRAYS) size += pad8(data[name].byteLength);
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(VECTOR_FILE_VERSION, 4);
  out.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(out, PREFIX_BYTES);
  let at = pad8(PREFIX_BYTES + headerBytes.length);
  for (const { name } of ARRAYS) {
    const array = data[name];
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += pad8(array.byteLength);
  }
  out.writeUInt32LE(crc32(out.subarray(PREFIX_BYTES)), 8);
  return out;
}

/** Checks and opens saved bytes; throws when they are not an intact word-vector file of this format. */
export function deserializeWordVectors(bytes: Uint8Array): WordVectorData {
  const data = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  if (data.byteLength < PREFIX_BYTES) throw new Error("not a word-vector file");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const magic = String.fromCharCode(data[0] ?? 0, data[1] ?? 0, data[2] ?? 0, data[3] ?? 0);
  if (magic !== MAGIC) throw new Error("not a word-vector file");
  const version = view.getUint32(4, true);
  if (version !== VECTOR_FILE_VERSION)
    throw new Error(`word-vector format ${version}, expected ${VECTOR_FILE_VERSION}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX_BYTES + headerLength > data.byteLength) throw new Error("word-vector file is truncated");
  if (crc32(data.subarray(PREFIX_BYTES)) !== view.getUint32(8, true))
    throw new Error("word-vector file is damaged");
  const header = JSON.parse(
    Buffer.from(data.buffer, data.byteOffset + PREFIX_BYTES, headerLength).toString("utf8"),
  ) as Header;
  let at = pad8(PREFIX_BYTES + headerLength);
  const arrays = {} as Record<ArrayName, Int8Array | Uint8Array | Int32Array | Float32Array>;
  for (const { name, kind } of ARRAYS) {
    const n = header.lengths[name];
    if (at + n * WIDTH[kind] > data.byteLength) throw new Error("word-vector file is truncated");
    const offset = data.byteOffset + at;
    arrays[name] =
      kind === "i8"
        ? new Int8Array(data.buffer, offset, n)
        : kind === "u8"
          ? new Uint8Array(data.buffer, offset, n)
          : kind === "i32"
            ? new Int32Array(data.buffer, offset, n)
            : new Float32Array(data.buffer, offset, n);
    at += pad8(n * WIDTH[kind]);
  }
  const result: WordVectorData = {
    source: header.source,
    dims: header.dims,
    count: header.count,
    vectors: arrays.vectors as Int8Array,
    scales: arrays.scales as Float32Array,
    wordOffsets: arrays.wordOffsets as Int32Array,
    wordBytes: arrays.wordBytes as Uint8Array,
    table: arrays.table as Int32Array,
  };
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
