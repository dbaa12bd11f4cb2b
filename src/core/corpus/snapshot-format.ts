/**
 * The parsed, merged corpus as one file, so a restart reads it instead of parsing every data file.
 *
 * Nothing is decoded at load: a paper is a number into the records, and its strings are decoded
 * from the segments' bytes when the paper is first read (snapshot-papers.ts); abstracts are not even
 * read, each is read from the file when its paper is shown (abstract-shelf.ts). Repeated strings
 * (authors, categories, file names, dates) are stored once.
 *
 * Layout: "PBCS" magic, format version (u32), CRC-32 of every byte after the first 16 except the
 * abstracts' (u32), header length (u32); an Int32 section (one record per paper: flags, string
 * numbers, counts, source lines), an Int32 section (where each string ends inside its segment, in
 * bytes), the string segments (UTF-8), each under SEGMENT_BYTES; the abstracts (UTF-8, one after
 * another), a Float64 section (where each abstract ends) and an Int32 section (each abstract's own
 * CRC-32), the authors indexed by the first word of their name (Int32, see SnapshotNames); last, a
 * JSON header (fingerprint, problems, venues, section lengths), last because it is known only once
 * the rest is written. Written and read in pieces: no one buffer holds the whole file.
 */
import { closeSync, fstatSync, openSync, read, renameSync, rmSync, writeSync } from "node:fs";
import { promisify } from "node:util";
import { crc32 } from "node:zlib";
import type { DataProblem } from "../errors.ts";
import { IntList, NumberedStrings } from "../lists.ts";
import { nextTurn } from "../next-turn.ts";
import type { Paper } from "../paper.ts";
import { corpusNames } from "../paper-index.ts";
import { readFully } from "../typed-file.ts";
import { AbstractShelf } from "./abstract-shelf.ts";
import {
  HAS_VERSION,
  NONE,
  namesOf,
  recordStarts,
  ShelvedPaper,
  StringColumn,
  type StringSegment,
  snapshotContext,
  TITLE_DERIVED,
} from "./snapshot-papers.ts";

const MAGIC = "PBCS";
/** Bump whenever the layout changes. */
export const SNAPSHOT_FORMAT_VERSION = 4;
const PREFIX_BYTES = 16;
/** UTF-8 bytes per segment of strings: moderate buffers, however large the corpus. */
const SEGMENT_BYTES = 64 * 1024 * 1024;
/** Int32s written per call, so writing never copies the whole section at once. */
const WRITE_INTS = 1 << 20;
/** Abstracts are gathered into writes of about this many bytes. */
const WRITE_BYTES = 4 << 20;

const readAsync = promisify(read);

/** Bytes checked per turn of the event loop when reading (a reload reads on the main thread). */
const CHECK_BYTES = 4 << 20;
/** Papers made per turn of the event loop when reading. */
const PAPERS_PER_TURN = 50_000;

export interface CorpusSnapshot {
  /** What the snapshot was made from (data files, papers from arXiv, parser version). */
  fingerprint: string;
  /** `papersFingerprint` of the papers, so a saved index is checked without hashing them again. */
  papersFingerprint: string;
  papers: Paper[];
  problems: DataProblem[];
}

/** A snapshot as read: its papers' abstracts are read from the file when used. */
export interface ReadSnapshot extends CorpusSnapshot {
  papers: ShelvedPaper[];
  shelf: AbstractShelf;
}

interface Header {
  fingerprint: string;
  papersFingerprint: string;
  count: number;
  problems: DataProblem[];
  ints: number;
  strings: number;
  /** Per segment: how many strings, how many UTF-8 bytes, and whether all are ASCII (decoded faster as latin1). */
  segments: { strings: number; bytes: number; ascii: boolean }[];
  /** The abstracts' UTF-8 bytes, all together. */
  abstractBytes: number;
  /** Int32s of the authors' index (see SnapshotNames), after the abstracts' CRCs. */
  names: number;
  venues: string[];
}

/** The strings of the snapshot, numbered; the repeated ones (authors, categories, files, dates) stored once. */
class StringTable extends NumberedStrings {
  /** A string no other paper shares (ids, titles, abstracts): not looked up, hashing it costs more than it saves. */
  unique(text: string): number {
    this.list.push(text);
    return this.list.length - 1;
  }

  optional(text: string | undefined): number {
    return text === undefined ? NONE : this.add(text);
  }
}

function encodePapers(papers: readonly Paper[]): { ints: IntList; strings: StringTable } {
  const ints = new IntList(1 << 16);
  const strings = new StringTable();
  const list = (items: readonly string[]) => {
    ints.push(items.length);
    for (const item of items) ints.push(strings.add(item));
  };
  for (const paper of papers) {
    ints.push((paper.version === undefined ? 0 : HAS_VERSION) | (paper.titleDerived ? TITLE_DERIVED : 0));
    ints.push(paper.version ?? 0);
    ints.push(strings.unique(paper.id));
    ints.push(strings.unique(paper.title));
    ints.push(strings.optional(paper.venue));
    ints.push(strings.optional(paper.codeUrl));
    ints.push(strings.optional(paper.doi));
    ints.push(strings.optional(paper.published));
    list(paper.authors);
    list(paper.categories);
    list(paper.comments);
    ints.push(paper.sources.length);
    for (const source of paper.sources) {
      ints.push(strings.add(source.file));
      ints.push(source.line);
    }
  }
  return { ints, strings };
}

/**
 * Strings grouped into segments of at most SEGMENT_BYTES of UTF-8 (a longer string gets one of its
 * own); `ends[i]` is where string i ends inside its segment, in bytes, so each can be decoded alone.
 */
function segmentsOf(list: readonly string[]): {
  ends: Int32Array;
  groups: { from: number; to: number; bytes: number; chars: number }[];
} {
  const ends = new Int32Array(list.length);
  const groups: { from: number; to: number; bytes: number; chars: number }[] = [];
  let from = 0;
  let bytes = 0;
  let chars = 0;
  list.forEach((text, i) => {
    const length = Buffer.byteLength(text, "utf8");
    if (bytes > 0 && bytes + length > SEGMENT_BYTES) {
      groups.push({ from, to: i, bytes, chars });
      from = i;
      bytes = 0;
      chars = 0;
    }
    bytes += length;
    chars += text.length;
    ends[i] = bytes;
  });
  if (from < list.length) groups.push({ from, to: list.length, bytes, chars });
  return { ends, groups };
}

const bytesOf = (array: Int32Array, from = 0, to = array.length) =>
  new Uint8Array(array.buffer, array.byteOffset + from * 4, (to - from) * 4);

/**
 * Writes the snapshot atomically (temp file + rename): a crash never leaves half a snapshot, and a
 * reader never sees one being written. The folder must exist.
 */
export function writeCorpusSnapshot(path: string, snapshot: CorpusSnapshot): void {
  const { ints, strings } = encodePapers(snapshot.papers);
  const { ends, groups } = segmentsOf(strings.list);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w");
  try {
    let crc = 0;
    let at = PREFIX_BYTES;
    const put = (bytes: Uint8Array) => {
      // crc32 of an empty view on an empty ArrayBuffer gives 0, not the running value (Node 20).
      if (bytes.length > 0) crc = crc32(bytes, crc);
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
      at += bytes.length;
    };
    for (let from = 0; from < ints.length; from += WRITE_INTS)
      put(bytesOf(ints.data, from, Math.min(ints.length, from + WRITE_INTS)));
    for (let from = 0; from < ends.length; from += WRITE_INTS)
      put(bytesOf(ends, from, Math.min(ends.length, from + WRITE_INTS)));
    // Each segment is encoded into one reused buffer, string by string: no joined text, no garbage
    // the size of the corpus.
    const scratch = Buffer.allocUnsafeSlow(Math.max(0, ...groups.map((group) => group.bytes)));
    const segments = groups.map(({ from, to, bytes, chars }) => {
      let used = 0;
      for (let i = from; i < to; i++) used += scratch.write(strings.list[i] as string, used, "utf8");
      put(scratch.subarray(0, used));
      return { strings: to - from, bytes: used, ascii: bytes === chars };
    });
    const {
      ends: abstractEnds,
      crcs,
      bytes: abstractBytes,
    } = writeAbstracts(snapshot.papers, (bytes) => {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
      at += bytes.length;
    });
    put(new Uint8Array(abstractEnds.buffer));
    put(new Uint8Array(crcs.buffer));
    const { names, venues } = namesOf(snapshot.papers, (text) => strings.add(text));
    put(new Uint8Array(names.buffer));
    const header: Header = {
      fingerprint: snapshot.fingerprint,
      papersFingerprint: snapshot.papersFingerprint,
      count: snapshot.papers.length,
      problems: snapshot.problems,
      ints: ints.length,
      strings: strings.list.length,
      segments,
      abstractBytes,
      names: names.length,
      venues,
    };
    const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
    put(headerBytes);
    const prefix = Buffer.alloc(PREFIX_BYTES);
    prefix.write(MAGIC, 0, "latin1");
    prefix.writeUInt32LE(SNAPSHOT_FORMAT_VERSION, 4);
    prefix.writeUInt32LE(crc >>> 0, 8);
    prefix.writeUInt32LE(headerBytes.length, 12);
    writeSync(fd, prefix, 0, PREFIX_BYTES, 0);
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Writes every abstract through `write` (in batches of about WRITE_BYTES) and returns where each
 * ends and its CRC-32; those bytes are left out of the file's own CRC.
 */
function writeAbstracts(
  papers: readonly Paper[],
  write: (bytes: Uint8Array) => void,
): { ends: Float64Array; crcs: Int32Array; bytes: number } {
  const ends = new Float64Array(papers.length);
  const crcs = new Int32Array(papers.length);
  let batch = Buffer.allocUnsafeSlow(WRITE_BYTES);
  let used = 0;
  let total = 0;
  papers.forEach((paper, i) => {
    const text = paper.abstract;
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const room = 3 * text.length;
    if (used + room > batch.length) {
      write(batch.subarray(0, used));
      used = 0;
      if (room > batch.length) batch = Buffer.allocUnsafeSlow(room);
    }
    const length = batch.write(text, used, "utf8");
    crcs[i] = crc32(batch.subarray(used, used + length)) | 0;
    used += length;
    total += length;
    ends[i] = total;
  });
  write(batch.subarray(0, used));
  return { ends, crcs, bytes: total };
}

/** Reads exactly `into`'s bytes at `at`, or throws "truncated". */
function readExactly(fd: number, into: ArrayBufferView, at: number): void {
  if (!readFully(fd, into, at)) throw new Error("snapshot is truncated");
}

interface Head {
  prefix: Buffer;
  headerBytes: Buffer;
  header: Header;
  /** Where the abstracts' bytes start; their ends and CRCs follow them. */
  abstractsAt: number;
}

/** The prefix and header (small reads), checked against the file's size. */
function readHead(fd: number, size: number): Head {
  if (size < PREFIX_BYTES) throw new Error("snapshot is truncated");
  const prefix = Buffer.alloc(PREFIX_BYTES);
  readExactly(fd, prefix, 0);
  if (prefix.toString("latin1", 0, 4) !== MAGIC) throw new Error("not a paperbot corpus snapshot");
  const version = prefix.readUInt32LE(4);
  if (version !== SNAPSHOT_FORMAT_VERSION)
    throw new Error(`snapshot format ${version}, expected ${SNAPSHOT_FORMAT_VERSION}`);
  const headerLength = prefix.readUInt32LE(12);
  if (PREFIX_BYTES + headerLength > size) throw new Error("snapshot is truncated");
  const headerBytes = Buffer.alloc(headerLength);
  readExactly(fd, headerBytes, size - headerLength);
  let header: Header;
  try {
    header = JSON.parse(headerBytes.toString("utf8")) as Header;
  } catch {
    throw new Error("snapshot is damaged (its header is not readable)");
  }
  const abstractsAt =
    PREFIX_BYTES + (header.ints + header.strings) * 4 + header.segments.reduce((sum, s) => sum + s.bytes, 0);
  // Checked before allocating what a damaged header may claim.
  if (abstractsAt + header.abstractBytes + header.count * 12 + header.names * 4 + headerLength !== size)
    throw new Error("snapshot is truncated");
  return { prefix, headerBytes, header, abstractsAt };
}

/** The abstracts' ends and CRCs (see writeAbstracts); part of the file's CRC, which the caller checks. */
function readAbstractTables(fd: number, head: Head): { ends: Float64Array; crcs: Int32Array } {
  const { header, abstractsAt } = head;
  const ends = new Float64Array(header.count);
  readExactly(fd, ends, abstractsAt + header.abstractBytes);
  const crcs = new Int32Array(header.count);
  readExactly(fd, crcs, abstractsAt + header.abstractBytes + ends.byteLength);
  if (header.count > 0 && ends[header.count - 1] !== header.abstractBytes)
    throw new Error("snapshot is damaged (the abstracts do not add up)");
  return { ends, crcs };
}

/**
 * Reads and checks a snapshot; rejects when it is not an intact snapshot of this format. With
 * `expected`, a snapshot of other inputs resolves undefined after reading only its header.
 */
export async function readCorpusSnapshot(path: string, expected?: string): Promise<ReadSnapshot | undefined> {
  // A plain descriptor, not a FileHandle: the shelf keeps it open for as long as the papers live.
  const fd = openSync(path, "r");
  let kept = false;
  try {
    const { size } = fstatSync(fd);
    const readAt = async <T extends Uint8Array | Int32Array | Float64Array>(
      into: T,
      at: number,
    ): Promise<T> => {
      if (at + into.byteLength > size) throw new Error("snapshot is truncated");
      const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await readAsync(fd, bytes, done, bytes.length - done, at + done);
        if (bytesRead === 0) throw new Error("snapshot is truncated");
        done += bytesRead;
      }
      return into;
    };
    const head = readHead(fd, size);
    const { header, prefix, headerBytes } = head;
    if (expected !== undefined && header.fingerprint !== expected) return undefined;
    let crc = 0;
    // In pieces, between which requests are answered.
    const check = async (into: Uint8Array | Int32Array | Float64Array) => {
      const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
      for (let from = 0; from < bytes.length; from += CHECK_BYTES) {
        crc = crc32(bytes.subarray(from, from + CHECK_BYTES), crc);
        if (from + CHECK_BYTES < bytes.length) await nextTurn();
      }
    };
    // Every section is asked for at once: the reads go on while earlier ones are checked.
    const early = <T>(reading: Promise<T>) => {
      reading.catch(() => {}); // awaited below; a failure there is the one reported
      return reading;
    };
    const intsRead = early(readAt(new Int32Array(header.ints), PREFIX_BYTES));
    const endsRead = early(readAt(new Int32Array(header.strings), PREFIX_BYTES + header.ints * 4));
    let at = PREFIX_BYTES + (header.ints + header.strings) * 4;
    const segmentsRead = header.segments.map((segment) => {
      const reading = early(readAt(Buffer.allocUnsafeSlow(segment.bytes), at));
      at += segment.bytes;
      return reading;
    });
    const ints = await intsRead;
    await check(ints);
    const ends = await endsRead;
    await check(ends);
    // The segments stay bytes: each string is decoded when a paper first reads it.
    const texts: StringSegment[] = [];
    const firsts = new Int32Array(header.segments.length);
    let n = 0;
    for (const [i, segment] of header.segments.entries()) {
      const bytes = (await segmentsRead[i]) as Buffer;
      await check(bytes);
      firsts[i] = n;
      n += segment.strings;
      if (segment.strings > 0 && ends[n - 1] !== segment.bytes)
        throw new Error("snapshot is damaged (a segment does not add up)");
      texts.push({ bytes, encoding: segment.ascii ? "latin1" : "utf8" });
    }
    if (n !== header.strings) throw new Error("snapshot is damaged (strings are missing)");
    const tables = readAbstractTables(fd, head);
    await check(tables.ends);
    await check(tables.crcs);
    const names = new Int32Array(header.names);
    readExactly(fd, names, head.abstractsAt + header.abstractBytes + header.count * 12);
    await check(names);
    await check(headerBytes);
    if (crc >>> 0 !== prefix.readUInt32LE(8)) throw new Error("snapshot is damaged");
    const shelf = new AbstractShelf({ fd, path, base: head.abstractsAt, ...tables });
    const records = {
      ints,
      starts: recordStarts(ints, header.count),
      strings: new StringColumn(texts, firsts, ends),
      shelf,
    };
    const papers = new Array<ShelvedPaper>(header.count);
    for (let p = 0; p < header.count; p++) {
      papers[p] = new ShelvedPaper(records, p);
      if ((p + 1) % PAPERS_PER_TURN === 0) await nextTurn();
    }
    corpusNames.set(papers, snapshotContext(records.strings, { names, venues: header.venues }));
    kept = true;
    return {
      fingerprint: header.fingerprint,
      papersFingerprint: header.papersFingerprint,
      papers,
      problems: header.problems,
      shelf,
    };
  } finally {
    if (!kept) closeSync(fd);
  }
}
