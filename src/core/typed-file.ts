/**
 * The binary container shared by paperbot's saved files that hold typed arrays (the search index,
 * the word-vector cache), so a large file opens as views on its bytes instead of being parsed.
 *
 * Layout: 4-byte magic (latin1), format version (u32 LE), CRC-32 of every byte after the first 16
 * (u32 LE), JSON header length in bytes (u32 LE), the JSON header, zero padding to 8 bytes, each
 * typed array's raw bytes padded to 8 (so every view is aligned), then an optional UTF-8 tail,
 * unpadded. The header says how long each array is; each format declares its own header and arrays.
 */
import { crc32 } from "node:zlib";

export interface TypedFileFormat {
  /** Four ASCII characters. */
  magic: string;
  version: number;
  /** What errors call the file: "index" gives "index file is truncated", "index format 3, expected 4". */
  name: string;
  /** The error for bytes that are some other kind of file, e.g. "not a paperbot index file". */
  foreign: string;
}

interface KindArrays {
  i8: Int8Array;
  u8: Uint8Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
}
export type ArrayKind = keyof KindArrays;
const WIDTH: Record<ArrayKind, number> = { i8: 1, u8: 1, i32: 4, f32: 4, f64: 8 };

/** Array names and kinds, in the order they lie in the file (an object keeps its keys' order). */
export type ArrayLayout = Readonly<Record<string, ArrayKind>>;
export type ArraysOf<L extends ArrayLayout> = { [N in keyof L]: KindArrays[L[N]] };
/** Element counts per array: what a header records so the arrays can be found again. */
export type LengthsOf<L extends ArrayLayout> = Record<keyof L, number>;

const PREFIX_BYTES = 16;
const pad8 = (n: number) => (n + 7) & ~7;

export function lengthsOf<L extends ArrayLayout>(layout: L, arrays: ArraysOf<L>): LengthsOf<L> {
  const lengths = {} as LengthsOf<L>;
  for (const name of Object.keys(layout) as (keyof L)[]) lengths[name] = arrays[name].length;
  return lengths;
}

/** The arrays in the layout's order, for `writeTypedFile`. */
export function inLayoutOrder<L extends ArrayLayout>(layout: L, arrays: ArraysOf<L>): ArrayBufferView[] {
  return (Object.keys(layout) as (keyof L)[]).map((name) => arrays[name]);
}

/**
 * The whole file in one buffer (its only large allocation). The header must record what reading
 * needs: each array's length and the tail's byte length.
 */
export function writeTypedFile(
  format: TypedFileFormat,
  header: unknown,
  arrays: readonly ArrayBufferView[],
  tail = "",
): Buffer {
  const json = JSON.stringify(header);
  const headerLength = Buffer.byteLength(json, "utf8");
  let size = pad8(PREFIX_BYTES + headerLength);
  for (const array of arrays) size += pad8(array.byteLength);
  size += Buffer.byteLength(tail, "utf8");
  const out = Buffer.alloc(size);
  out.write(format.magic, 0, 4, "latin1");
  out.writeUInt32LE(format.version, 4);
  out.writeUInt32LE(headerLength, 12);
  out.write(json, PREFIX_BYTES, "utf8");
  let at = pad8(PREFIX_BYTES + headerLength);
  for (const array of arrays) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += pad8(array.byteLength);
  }
  out.write(tail, at, "utf8");
  out.writeUInt32LE(crc32(out.subarray(PREFIX_BYTES)), 8);
  return out;
}

/** Reads a file's parts in the order they were written; each is bounds-checked against the file. */
export interface TypedFileReader<H> {
  readonly header: H;
  /** The next arrays as views on the file's bytes (no copy); `lengths` come from the header. */
  arrays<L extends ArrayLayout>(layout: L, lengths: LengthsOf<L>): ArraysOf<L>;
  /** The tail's bytes (a view; decode them when needed). */
  tail(byteLength: number): Buffer;
}

export interface ReadOptions {
  /**
   * The bytes were just made by this program (e.g. sent by its own worker thread), never stored:
   * skip the CRC, the slow part of opening a large file. Every bounds check still runs.
   */
  trusted?: boolean;
}

/**
 * Checks and opens a file: `read` takes its parts from the header's lengths; then the file must end
 * exactly there and its CRC must match (unless trusted), or this throws (naming the format) and
 * `read`'s result is dropped.
 */
export function readTypedFile<H, T>(
  format: TypedFileFormat,
  bytes: Uint8Array,
  read: (file: TypedFileReader<H>) => T,
  options: ReadOptions = {},
): T {
  const truncated = () => new Error(`${format.name} file is truncated`);
  const damaged = () => new Error(`${format.name} file is damaged`);
  // Typed-array views need aligned offsets; a pooled small Buffer may not start 8-aligned.
  const data = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  if (data.byteLength < PREFIX_BYTES) throw new Error(format.foreign);
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buffer.toString("latin1", 0, 4) !== format.magic) throw new Error(format.foreign);
  const version = buffer.readUInt32LE(4);
  if (version !== format.version)
    throw new Error(`${format.name} format ${version}, expected ${format.version}`);
  const headerLength = buffer.readUInt32LE(12);
  if (PREFIX_BYTES + headerLength > buffer.length) throw truncated();
  let header: H;
  try {
    header = JSON.parse(buffer.toString("utf8", PREFIX_BYTES, PREFIX_BYTES + headerLength)) as H;
  } catch {
    throw damaged();
  }
  if (typeof header !== "object" || header === null) throw damaged();
  let at = pad8(PREFIX_BYTES + headerLength);
  // Checked before use: a damaged header must not make views past the end or of negative size.
  const take = (length: unknown, width: number): number => {
    if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) throw damaged();
    if (at + length * width > buffer.length) throw truncated();
    const start = at;
    at += length * width;
    return start;
  };
  const result = read({
    header,
    arrays(layout, lengths) {
      const views = {} as Record<string, ArrayBufferView>;
      for (const [name, kind] of Object.entries(layout)) {
        const n = lengths[name];
        const offset = data.byteOffset + take(n, WIDTH[kind]);
        views[name] = view(kind, data.buffer, offset, n as number);
        at = pad8(at);
      }
      return views as ArraysOf<typeof layout>;
    },
    tail(byteLength) {
      const start = take(byteLength, 1);
      return buffer.subarray(start, start + byteLength);
    },
  });
  if (at !== buffer.length) throw at < buffer.length ? damaged() : truncated();
  if (!options.trusted && crc32(buffer.subarray(PREFIX_BYTES)) !== buffer.readUInt32LE(8)) throw damaged();
  return result;
}

function view(kind: ArrayKind, buffer: ArrayBufferLike, offset: number, n: number): ArrayBufferView {
  switch (kind) {
    case "i8":
      return new Int8Array(buffer, offset, n);
    case "u8":
      return new Uint8Array(buffer, offset, n);
    case "i32":
      return new Int32Array(buffer, offset, n);
    case "f32":
      return new Float32Array(buffer, offset, n);
    case "f64":
      return new Float64Array(buffer, offset, n);
  }
}
