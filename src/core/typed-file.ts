/**
 * The binary container shared by paperbot's saved files that hold typed arrays (the search index,
 * the word-vector cache), so a large file opens as views on its bytes instead of being parsed; from
 * disk, its arrays are read a block at a time when first used (`Pager`), so a start reads only what
 * its first answers need.
 *
 * Layout: 4-byte magic (latin1), format version (u32 LE), CRC-32 of the header and block table
 * (u32 LE), JSON header length in bytes (u32 LE), the JSON header, zero padding to 8 bytes, the
 * block table (one CRC-32 per BLOCK_BYTES of the body, Int32), zero padding to 8, then the body:
 * each typed array's raw bytes padded to 8 (so every view is aligned), then an optional UTF-8 tail,
 * unpadded. The header says how long each array is; each format declares its own header and arrays.
 */
import { closeSync, fstatSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { crc32 } from "node:zlib";

/** Bytes per checked block: a rare word's postings or a paper's row cost one small read. */
export const BLOCK_BYTES = 4096;

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

/**
 * Makes parts of a file's arrays readable. From disk, an array holds zeros until the blocks under
 * the asked elements are read and checked (each once); in memory, everything is there already.
 */
export interface Pager {
  /** Elements [from, to) of `view`, one of the file's arrays or its tail (all of it by default). */
  load(view: ArrayBufferView, from?: number, to?: number): void;
}

/** The pager of arrays that are all in memory. */
export const IN_MEMORY: Pager = { load() {} };

const PREFIX_BYTES = 16;
const pad8 = (n: number) => (n + 7) & ~7;

/** Bytes `arrays` of these lengths take in a file (each padded to 8). */
export function sectionBytes<L extends ArrayLayout>(layout: L, lengths: LengthsOf<L>): number {
  let bytes = 0;
  for (const [name, kind] of Object.entries(layout)) bytes += pad8((lengths[name] as number) * WIDTH[kind]);
  return bytes;
}

export function lengthsOf<L extends ArrayLayout>(layout: L, arrays: ArraysOf<L>): LengthsOf<L> {
  const lengths = {} as LengthsOf<L>;
  for (const name of Object.keys(layout) as (keyof L)[]) lengths[name] = arrays[name].length;
  return lengths;
}

/** The arrays in the layout's order, for `writeTypedFile`. */
export function inLayoutOrder<L extends ArrayLayout>(layout: L, arrays: ArraysOf<L>): ArrayBufferView[] {
  return (Object.keys(layout) as (keyof L)[]).map((name) => arrays[name]);
}

const blocksOf = (bodyBytes: number) => Math.ceil(bodyBytes / BLOCK_BYTES);

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
  let bodyBytes = 0;
  for (const array of arrays) bodyBytes += pad8(array.byteLength);
  bodyBytes += Buffer.byteLength(tail, "utf8");
  const json = JSON.stringify({ bodyBytes, header } satisfies Envelope);
  const headerLength = Buffer.byteLength(json, "utf8");
  const blocks = blocksOf(bodyBytes);
  const tableAt = pad8(PREFIX_BYTES + headerLength);
  const bodyAt = tableAt + pad8(blocks * 4);
  const out = Buffer.alloc(bodyAt + bodyBytes);
  out.write(format.magic, 0, 4, "latin1");
  out.writeUInt32LE(format.version, 4);
  out.writeUInt32LE(headerLength, 12);
  out.write(json, PREFIX_BYTES, "utf8");
  let at = bodyAt;
  for (const array of arrays) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += pad8(array.byteLength);
  }
  out.write(tail, at, "utf8");
  const table = new Int32Array(out.buffer, out.byteOffset + tableAt, blocks);
  for (let b = 0; b < blocks; b++) {
    const from = bodyAt + b * BLOCK_BYTES;
    table[b] = crc32(out.subarray(from, Math.min(from + BLOCK_BYTES, out.length))) | 0;
  }
  out.writeUInt32LE(crc32(out.subarray(PREFIX_BYTES, bodyAt)), 8);
  return out;
}

/** The JSON as written: the body's size around the format's own header. */
interface Envelope {
  bodyBytes: number;
  header: unknown;
}

/** Reads a file's parts in the order they were written; each is bounds-checked against the file. */
export interface TypedFileReader<H> {
  readonly header: H;
  /** The next arrays as views on the file's bytes (no copy); `lengths` come from the header. */
  arrays<L extends ArrayLayout>(layout: L, lengths: LengthsOf<L>): ArraysOf<L>;
  /**
   * The next arrays, made when the function is first called: in memory, views as `arrays` gives;
   * from disk, read whole then (and checked), so arrays nobody uses take no memory.
   */
  later<L extends ArrayLayout>(layout: L, lengths: LengthsOf<L>): () => ArraysOf<L>;
  /**
   * Reads the tail's bytes when called: a view in memory; from disk, read then (and checked), so a
   * tail nobody reads takes no memory.
   */
  tail(byteLength: number): () => Buffer;
  /** Makes the arrays' elements readable before use (see Pager). */
  readonly pager: Pager;
}

export interface ReadOptions {
  /**
   * The bytes were just made by this program (e.g. sent by its own worker thread), never stored:
   * skip the CRC, the slow part of opening a large file. Every bounds check still runs.
   */
  trusted?: boolean;
}

interface Head<H> {
  header: H;
  bodyBytes: number;
  /** Where the block table and the body start. */
  tableAt: number;
  bodyAt: number;
}

/** Checks the prefix and parses the header from the file's first bytes (`start` may hold more). */
function parseHead<H>(format: TypedFileFormat, start: Buffer, size: number): Head<H> {
  const truncated = () => new Error(`${format.name} file is truncated`);
  const damaged = () => new Error(`${format.name} file is damaged`);
  if (start.length < PREFIX_BYTES) throw new Error(format.foreign);
  if (start.toString("latin1", 0, 4) !== format.magic) throw new Error(format.foreign);
  const version = start.readUInt32LE(4);
  if (version !== format.version)
    throw new Error(`${format.name} format ${version}, expected ${format.version}`);
  const headerLength = start.readUInt32LE(12);
  if (PREFIX_BYTES + headerLength > Math.min(size, start.length)) throw truncated();
  let envelope: Envelope;
  try {
    envelope = JSON.parse(start.toString("utf8", PREFIX_BYTES, PREFIX_BYTES + headerLength)) as Envelope;
  } catch {
    throw damaged();
  }
  const { bodyBytes, header } = envelope ?? {};
  if (typeof header !== "object" || header === null) throw damaged();
  if (typeof bodyBytes !== "number" || !Number.isSafeInteger(bodyBytes) || bodyBytes < 0) throw damaged();
  const tableAt = pad8(PREFIX_BYTES + headerLength);
  const bodyAt = tableAt + pad8(blocksOf(bodyBytes) * 4);
  if (bodyAt + bodyBytes !== size) throw bodyAt + bodyBytes > size ? truncated() : damaged();
  return { header: header as H, bodyBytes, tableAt, bodyAt };
}

/**
 * Hands out the body's parts in order, bounds-checked against its `bodyBytes`; `read`'s result once
 * the body is used up exactly. `body` holds the arrays (from disk it may stop before the tail);
 * `readApart` gives the tail's bytes.
 */
function readBody<H, T>(
  format: TypedFileFormat,
  header: H,
  bodyBytes: number,
  body: Uint8Array,
  pager: Pager,
  read: (file: TypedFileReader<H>) => T,
  readApart: (start: number, byteLength: number) => Uint8Array,
): T {
  const truncated = () => new Error(`${format.name} file is truncated`);
  const damaged = () => new Error(`${format.name} file is damaged`);
  let at = 0;
  // Checked before use: a damaged header must not make views past the end or of negative size.
  const take = (length: unknown, width: number, limit: number): number => {
    if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) throw damaged();
    if (at + length * width > limit) throw truncated();
    const start = at;
    at += length * width;
    return start;
  };
  /** Where each array of `layout` starts in the body, from `at` on (bounds-checked against `limit`). */
  const place = (layout: ArrayLayout, lengths: LengthsOf<ArrayLayout>, limit: number) => {
    const starts: [name: string, kind: ArrayKind, start: number, n: number][] = [];
    for (const [name, kind] of Object.entries(layout)) {
      const n = lengths[name];
      starts.push([name, kind, take(n, WIDTH[kind], limit), n as number]);
      at = pad8(at);
    }
    return starts;
  };
  /** Views on `bytes`, which hold the body from offset `base` on. */
  const views = (starts: ReturnType<typeof place>, bytes: Uint8Array, base: number) => {
    const made = {} as Record<string, ArrayBufferView>;
    for (const [name, kind, start, n] of starts)
      made[name] = view(kind, bytes.buffer, bytes.byteOffset + start - base, n);
    return made;
  };
  const result = read({
    header,
    arrays(layout, lengths) {
      return views(place(layout, lengths, body.byteLength), body, 0) as ArraysOf<typeof layout>;
    },
    later(layout, lengths) {
      const from = at;
      const starts = place(layout, lengths, bodyBytes);
      const to = at;
      let made: ArraysOf<typeof layout> | undefined;
      return () => {
        made ??= views(starts, readApart(from, to - from), from) as ArraysOf<typeof layout>;
        return made;
      };
    },
    tail(byteLength) {
      const start = take(byteLength, 1, bodyBytes);
      return () => {
        const bytes = readApart(start, byteLength);
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      };
    },
    pager,
  });
  if (at !== bodyBytes) throw at < bodyBytes ? damaged() : truncated();
  return result;
}

/**
 * Checks and opens a file held in memory: `read` takes its parts from the header's lengths; then the
 * file must end exactly there and every CRC must match (unless trusted), or this throws (naming
 * the format) and `read`'s result is dropped.
 */
export function readTypedFile<H, T>(
  format: TypedFileFormat,
  bytes: Uint8Array,
  read: (file: TypedFileReader<H>) => T,
  options: ReadOptions = {},
): T {
  // Typed-array views need aligned offsets; a pooled small Buffer may not start 8-aligned.
  const data = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const head = parseHead<H>(format, buffer, buffer.length);
  const body = data.subarray(head.bodyAt);
  const whole = buffer.subarray(head.bodyAt);
  const result = readBody(format, head.header, head.bodyBytes, body, IN_MEMORY, read, (start, length) =>
    whole.subarray(start, start + length),
  );
  if (!options.trusted) {
    const damaged = () => new Error(`${format.name} file is damaged`);
    if (crc32(buffer.subarray(PREFIX_BYTES, head.bodyAt)) !== buffer.readUInt32LE(8)) throw damaged();
    const table = new Int32Array(data.buffer, data.byteOffset + head.tableAt, blocksOf(head.bodyBytes));
    for (let b = 0; b < table.length; b++) {
      const from = b * BLOCK_BYTES;
      if ((crc32(body.subarray(from, from + BLOCK_BYTES)) | 0) !== table[b]) throw damaged();
    }
  }
  return result;
}

/** Fills `into` from the file at `at`; false when the file ends first. */
export function readFully(fd: number, into: ArrayBufferView, at: number): boolean {
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  let done = 0;
  while (done < bytes.length) {
    const read = readSync(fd, bytes, done, bytes.length - done, at + done);
    if (read === 0) return false;
    done += read;
  }
  return true;
}

/**
 * Removes the file at `path` when it is still the one open as `fd` (not one renamed over it since),
 * so the next start rebuilds a file found damaged.
 */
export function removeIfStillThere(fd: number, path: string): void {
  try {
    const open = fstatSync(fd);
    const onDisk = statSync(path);
    if (open.ino === onDisk.ino && open.dev === onDisk.dev) rmSync(path, { force: true });
  } catch {
    // gone already, or not ours to remove
  }
}

/** Closes a file descriptor once the object registered with it can no longer be reached. */
export const closeLater = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/**
 * Opens a file on disk without reading its body: the prefix, header and block table are read and
 * checked now; the arrays read their blocks when `pager.load` first asks for them, each checked
 * against its CRC. The file stays open while the pager lives (a file renamed over it is not seen).
 * A damaged block throws "damaged" when read and removes the file, so the next start rebuilds it.
 * `apartBytesOf` tells from the header how many bytes at the body's end are read apart (arrays made
 * `later`, the tail): no memory is set aside for them until they are read.
 */
export function openTypedFile<H, T>(
  format: TypedFileFormat,
  path: string,
  read: (file: TypedFileReader<H>) => T,
  apartBytesOf?: (header: H) => unknown,
): T {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const readAt = (into: Uint8Array, at: number) => {
      if (!readFully(fd, into, at)) throw new Error(`${format.name} file is truncated`);
    };
    // The prefix and, in most files, the whole header in one read.
    const first = Buffer.alloc(Math.min(size, 65_536));
    readAt(first, 0);
    const headerLength = first.length >= PREFIX_BYTES ? first.readUInt32LE(12) : 0;
    const start =
      PREFIX_BYTES + headerLength <= first.length
        ? first
        : Buffer.alloc(Math.min(size, PREFIX_BYTES + headerLength));
    if (start !== first) readAt(start, 0);
    const head = parseHead<H>(format, start, size);
    const checked = Buffer.alloc(head.bodyAt - PREFIX_BYTES);
    readAt(checked, PREFIX_BYTES);
    if (crc32(checked) !== start.readUInt32LE(8)) throw new Error(`${format.name} file is damaged`);
    const table = new Int32Array(
      checked.buffer,
      checked.byteOffset + head.tableAt - PREFIX_BYTES,
      blocksOf(head.bodyBytes),
    );
    // Zeros until read: untouched pages of a large allocation cost no memory (but count as
    // external memory, which sets off collections): whole blocks up to what is read apart.
    const apart = apartBytesOf?.(head.header);
    const arraysEnd =
      typeof apart === "number" && Number.isSafeInteger(apart) && apart >= 0 && apart <= head.bodyBytes
        ? head.bodyBytes - apart
        : head.bodyBytes;
    const body = new Uint8Array(Math.min(head.bodyBytes, blocksOf(arraysEnd) * BLOCK_BYTES));
    const loaded = new Uint8Array(table.length);
    const damaged = () => {
      removeIfStillThere(fd, path);
      return new Error(`${format.name} file ${path} is damaged; it is removed and rebuilt at the next start`);
    };
    /** Checks blocks read into `bytes` (block `first` on) against their CRCs. */
    const checkBlocks = (bytes: Uint8Array, first: number) => {
      for (let b = 0; b * BLOCK_BYTES < bytes.length; b++) {
        if ((crc32(bytes.subarray(b * BLOCK_BYTES, (b + 1) * BLOCK_BYTES)) | 0) !== table[first + b])
          throw damaged();
      }
    };
    // Views read whole already: asked again (the typo table, on every typo), nothing to check.
    const whole = new WeakSet<ArrayBufferView>();
    const pager: Pager = {
      load(part, from = 0, to?: number) {
        const all = from === 0 && to === undefined;
        // Arrays read apart are in memory whole.
        if (part.buffer !== body.buffer || (all && whole.has(part))) return;
        const width = (part as Uint8Array).BYTES_PER_ELEMENT ?? 1;
        const length = part.byteLength / width;
        const start = part.byteOffset - body.byteOffset + from * width;
        const end = part.byteOffset - body.byteOffset + Math.min(to ?? length, length) * width;
        if (end <= start) return;
        const last = Math.ceil(end / BLOCK_BYTES);
        let b = Math.floor(start / BLOCK_BYTES);
        while (b < last) {
          if (loaded[b]) {
            b++;
            continue;
          }
          // A run of blocks not read yet, in one read.
          let runEnd = b + 1;
          while (runEnd < last && !loaded[runEnd]) runEnd++;
          const run = body.subarray(b * BLOCK_BYTES, runEnd * BLOCK_BYTES);
          readAt(run, head.bodyAt + b * BLOCK_BYTES);
          checkBlocks(run, b);
          loaded.fill(1, b, runEnd);
          b = runEnd;
        }
        if (all) whole.add(part);
      },
    };
    // Parts read apart (a tail, arrays made later): whole blocks read and checked, then the part
    // copied into its own (8-aligned) buffer.
    const readApart = (start: number, length: number): Uint8Array => {
      const first = Math.floor(start / BLOCK_BYTES);
      const from = first * BLOCK_BYTES;
      const blocks = Buffer.allocUnsafe(
        Math.min(head.bodyBytes, blocksOf(start + length) * BLOCK_BYTES) - from,
      );
      readAt(blocks, head.bodyAt + from);
      checkBlocks(blocks, first);
      return new Uint8Array(blocks.subarray(start - from, start - from + length));
    };
    const result = readBody(format, head.header, head.bodyBytes, body, pager, read, readApart);
    closeLater.register(pager, fd);
    return result;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
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
