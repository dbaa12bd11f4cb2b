import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  type ArrayLayout,
  BLOCK_BYTES,
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
} from "../../src/core/typed-file.ts";

const FORMAT: TypedFileFormat = { magic: "TEST", version: 7, name: "test", foreign: "not a test file" };
const LAYOUT = {
  small: "i8",
  bytes: "u8",
  ints: "i32",
  floats: "f32",
  doubles: "f64",
} as const satisfies ArrayLayout;
interface Header {
  label: string;
  lengths: LengthsOf<typeof LAYOUT>;
  tailBytes: number;
}

const ARRAYS = {
  small: Int8Array.of(1, -2, 3),
  bytes: Uint8Array.of(255),
  ints: Int32Array.of(-1, 2, 300000),
  floats: Float32Array.of(0.5),
  doubles: Float64Array.of(Math.PI, -0),
};
const TAIL = '{"title":"Schölkopf"}';

function write(): Buffer {
  const header: Header = {
    label: "é",
    lengths: lengthsOf(LAYOUT, ARRAYS),
    tailBytes: Buffer.byteLength(TAIL),
  };
  return writeTypedFile(FORMAT, header, inLayoutOrder(LAYOUT, ARRAYS), TAIL);
}

function read(bytes: Uint8Array, options?: ReadOptions) {
  return readTypedFile(
    FORMAT,
    bytes,
    (file: TypedFileReader<Header>) => ({
      header: file.header,
      arrays: file.arrays(LAYOUT, file.header.lengths),
      tail: file.tail(file.header.tailBytes)().toString("utf8"),
    }),
    options,
  );
}

/** The layout written out by hand, independently of the module: what files already on disk hold. */
function expectedBytes(): Buffer {
  const bodyParts: Buffer[] = [];
  const padBodyTo8 = () => {
    const length = bodyParts.reduce((sum, part) => sum + part.length, 0);
    bodyParts.push(Buffer.alloc((8 - (length % 8)) % 8));
  };
  for (const array of Object.values(ARRAYS)) {
    bodyParts.push(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
    padBodyTo8();
  }
  bodyParts.push(Buffer.from(TAIL));
  const body = Buffer.concat(bodyParts);
  const header = Buffer.from(
    JSON.stringify({
      bodyBytes: body.length,
      header: {
        label: "é",
        lengths: { small: 3, bytes: 1, ints: 3, floats: 1, doubles: 2 },
        tailBytes: Buffer.byteLength(TAIL),
      },
    }),
  );
  // One block: one CRC in the table, padded to 8 bytes.
  const table = Buffer.alloc(8);
  table.writeInt32LE(crc32(body) | 0, 0);
  const headerPart = Buffer.concat([header, Buffer.alloc((8 - ((16 + header.length) % 8)) % 8)]);
  const file = Buffer.concat([Buffer.alloc(16), headerPart, table, body]);
  file.write("TEST", 0, "latin1");
  file.writeUInt32LE(7, 4);
  file.writeUInt32LE(header.length, 12);
  file.writeUInt32LE(crc32(file.subarray(16, 16 + headerPart.length + table.length)), 8);
  return file;
}

const flip = (bytes: Uint8Array, at: number) => {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] as number) ^ 0xff;
  return copy;
};

describe("typed file opened from disk", () => {
  const big = new Int32Array(40_000).map((_, i) => i * 3);
  const header = {
    label: "paged",
    lengths: { small: 3, ints: big.length },
    tailBytes: Buffer.byteLength(TAIL),
  };
  const saved = () => {
    const path = join(mkdtempSync(join(tmpdir(), "paperbot-typed-")), "file.bin");
    writeFileSync(path, writeTypedFile(FORMAT, header, [ARRAYS.small, big], TAIL));
    return path;
  };
  const open = (path: string) =>
    openTypedFile(
      FORMAT,
      path,
      (file: TypedFileReader<typeof header>) => ({
        ...file.arrays({ small: "i8", ints: "i32" }, file.header.lengths),
        tail: file.tail(file.header.tailBytes),
        pager: file.pager,
      }),
      (saved) => saved.tailBytes,
    );

  it("reads nothing of the body until asked, then just the blocks asked for", () => {
    const opened = open(saved());
    expect(opened.ints[30_000]).toBe(0);
    opened.pager.load(opened.ints, 30_000, 30_001);
    expect(opened.ints[30_000]).toBe(90_000);
    // Another block stays unread.
    expect(opened.ints[1]).toBe(0);
    opened.pager.load(opened.ints);
    expect(Array.from(opened.ints)).toEqual(Array.from(big));
    expect(opened.tail().toString("utf8")).toBe(TAIL);
  });

  it("sets no memory aside for a tail until it is read", () => {
    const longTail = "x".repeat(5 * BLOCK_BYTES);
    const path = join(mkdtempSync(join(tmpdir(), "paperbot-typed-")), "tail.bin");
    writeFileSync(
      path,
      writeTypedFile(FORMAT, { ...header, tailBytes: longTail.length }, [ARRAYS.small, big], longTail),
    );
    const opened = open(path);
    // The arrays' blocks only: the tail's five blocks are read when asked for.
    expect(opened.ints.buffer.byteLength).toBeLessThan(
      opened.ints.byteOffset + opened.ints.byteLength + BLOCK_BYTES,
    );
    expect(opened.tail().toString("utf8")).toBe(longTail);
    opened.pager.load(opened.ints);
    expect(Array.from(opened.ints)).toEqual(Array.from(big));
  });

  it("reads arrays asked for later whole when first asked, setting no memory aside before", () => {
    const path = saved();
    const later = (file: string) =>
      openTypedFile(
        FORMAT,
        file,
        (typed: TypedFileReader<typeof header>) => ({
          ...typed.arrays({ small: "i8" }, { small: typed.header.lengths.small }),
          later: typed.later({ ints: "i32" }, { ints: typed.header.lengths.ints }),
          tail: typed.tail(typed.header.tailBytes),
        }),
        (saved) => sectionBytes({ ints: "i32" }, { ints: saved.lengths.ints }) + saved.tailBytes,
      );
    const opened = later(path);
    expect(opened.small.buffer.byteLength).toBeLessThanOrEqual(BLOCK_BYTES);
    const { ints } = opened.later();
    expect(Array.from(ints)).toEqual(Array.from(big));
    expect(opened.later().ints).toBe(ints);
    expect(opened.tail().toString("utf8")).toBe(TAIL);
    // In memory, the same parts are views on the bytes.
    const inMemory = readTypedFile(FORMAT, readFileSync(path), (typed: TypedFileReader<typeof header>) => ({
      small: typed.arrays({ small: "i8" }, { small: typed.header.lengths.small }).small,
      later: typed.later({ ints: "i32" }, { ints: typed.header.lengths.ints }),
      tail: typed.tail(typed.header.tailBytes),
    }));
    expect(Array.from(inMemory.later().ints)).toEqual(Array.from(big));
    expect(inMemory.later().ints.buffer).toBe(inMemory.small.buffer);
    // A damaged block among them fails when they are read.
    const bytes = readFileSync(path);
    writeFileSync(path, flip(bytes, bytes.length - 5_000));
    const damaged = later(path);
    expect(() => damaged.later()).toThrow(/^test file .* is damaged; it is removed/);
  });

  it("refuses a damaged block when it is read, and removes the file so the next start rebuilds it", () => {
    const path = saved();
    const bytes = readFileSync(path);
    writeFileSync(path, flip(bytes, bytes.length - 100));
    const opened = open(path);
    opened.pager.load(opened.ints, 0, 10);
    expect(opened.ints[9]).toBe(27);
    expect(() => opened.tail()).toThrow(/^test file .* is damaged; it is removed/);
    expect(existsSync(path)).toBe(false);
  });

  it("refuses at once a file whose header, block table or size is wrong", () => {
    const path = saved();
    const bytes = readFileSync(path);
    writeFileSync(path, flip(bytes, 20));
    expect(() => open(path)).toThrow(/^test file is damaged$/);
    writeFileSync(path, bytes.subarray(0, bytes.length - 1));
    expect(() => open(path)).toThrow(/^test file is truncated$/);
    writeFileSync(path, "PBIX not this format");
    expect(() => open(path)).toThrow(/^not a test file$/);
  });
});

describe("typed file", () => {
  it("writes the documented layout byte for byte", () => {
    expect(write().equals(expectedBytes())).toBe(true);
  });

  it("reads back the header, each array with its kind, and the tail", () => {
    const back = read(write());
    expect(back.header.label).toBe("é");
    expect(back.arrays.small).toBeInstanceOf(Int8Array);
    expect(back.arrays.doubles).toBeInstanceOf(Float64Array);
    for (const [name, array] of Object.entries(ARRAYS))
      expect(Array.from(back.arrays[name as keyof typeof ARRAYS])).toEqual(Array.from(array));
    expect(back.tail).toBe(TAIL);
  });

  it("makes views on the file's bytes instead of copies", () => {
    const bytes = write();
    const back = read(bytes);
    expect(back.arrays.ints.buffer).toBe(bytes.buffer);
    bytes.writeInt32LE(42, back.arrays.ints.byteOffset - bytes.byteOffset);
    expect(back.arrays.ints[0]).toBe(42);
  });

  it("reads bytes that do not start 8-byte aligned", () => {
    const bytes = write();
    const shifted = new Uint8Array(bytes.length + 3).subarray(3);
    shifted.set(bytes);
    expect(Array.from(read(shifted).arrays.doubles)).toEqual([Math.PI, -0]);
  });

  it("names the format in every refusal", () => {
    const bytes = write();
    expect(() => read(Buffer.from("TEST"))).toThrow(/^not a test file$/);
    expect(() => read(Buffer.from("PBIX and more bytes"))).toThrow(/^not a test file$/);
    const newer = Buffer.from(bytes);
    newer.writeUInt32LE(8, 4);
    expect(() => read(newer)).toThrow(/^test format 8, expected 7$/);
    expect(() => read(bytes.subarray(0, 20))).toThrow(/^test file is truncated$/);
    expect(() => read(bytes.subarray(0, bytes.length - 1))).toThrow(/^test file is truncated$/);
    expect(() => read(flip(bytes, bytes.length - 1))).toThrow(/^test file is damaged$/);
    expect(() => read(Buffer.concat([bytes, Buffer.alloc(8)]))).toThrow(/^test file is damaged$/);
    expect(() => read(flip(bytes, 16))).toThrow(/^test file is damaged$/); // the header's JSON
  });

  it("skips the CRC only for trusted bytes, and still checks their bounds", () => {
    const bytes = write();
    const damaged = flip(bytes, bytes.length - 1);
    expect(() => read(damaged)).toThrow(/^test file is damaged$/);
    expect(() => read(damaged, { trusted: false })).toThrow(/^test file is damaged$/);
    expect(read(damaged, { trusted: true }).tail).not.toBe(TAIL);
    expect(read(bytes, { trusted: true })).toEqual(read(bytes));
    expect(() => read(bytes.subarray(0, bytes.length - 1), { trusted: true })).toThrow(
      /^test file is truncated$/,
    );
    expect(() => read(Buffer.concat([bytes, Buffer.alloc(8)]), { trusted: true })).toThrow(
      /^test file is damaged$/,
    );
  });

  it("checks every block of a file larger than one", () => {
    const big = { ints: new Int32Array(20_000).map((_, i) => i) };
    const header = { label: "big", lengths: { ints: big.ints.length }, tailBytes: 0 };
    const bytes = writeTypedFile(FORMAT, header, [big.ints]);
    const readBig = (b: Uint8Array) =>
      readTypedFile(FORMAT, b, (file: TypedFileReader<typeof header>) =>
        file.arrays({ ints: "i32" }, file.header.lengths),
      );
    expect(readBig(bytes).ints[19_999]).toBe(19_999);
    // A byte in one of the last blocks of the body (80 KB, 4 KiB blocks).
    expect(() => readBig(flip(bytes, bytes.length - 1000))).toThrow(/^test file is damaged$/);
  });

  it("refuses lengths a damaged header makes up before making any view", () => {
    for (const small of [-1, 1.5, "3", undefined]) {
      const header = { label: "", lengths: { ...lengthsOf(LAYOUT, ARRAYS), small }, tailBytes: 0 };
      const bytes = writeTypedFile(FORMAT, header, inLayoutOrder(LAYOUT, ARRAYS));
      expect(() => read(bytes)).toThrow(/^test file is damaged$/);
    }
    const huge = { label: "", lengths: { ...lengthsOf(LAYOUT, ARRAYS), ints: 2 ** 40 }, tailBytes: 0 };
    expect(() => read(writeTypedFile(FORMAT, huge, inLayoutOrder(LAYOUT, ARRAYS)))).toThrow(
      /^test file is truncated$/,
    );
  });
});
