/**
 * The parsed, merged corpus as one file, so a restart reads it instead of parsing every data file.
 *
 * Chosen by measurement at 100,000 papers (see bench/child.ts): JSON.parse and v8.deserialize
 * rebuild every string one by one; here each string column is one UTF-8 run decoded in one call
 * and cut into papers with `slice` (V8 shares the decoded text), and repeated strings (authors,
 * categories, file names, dates) are stored once.
 *
 * Layout: "PBCS" magic, format version (u32), CRC-32 of every byte after the first 16 (u32), header
 * length (u32); an Int32 section (one record per paper: flags, string numbers, counts, source
 * lines), an Int32 section (where each string ends inside its segment), the string segments
 * (UTF-8), each under SEGMENT_CHARS so no decoded string nears V8's string limit even at a million
 * papers; last, a JSON header (fingerprint, problems, section lengths), last because it is known
 * only once the segments are written. Written and read in pieces: no one buffer holds the whole
 * file, and writing holds one encoded segment at a time.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { crc32 } from "node:zlib";
import type { DataProblem } from "../errors.ts";
import type { Paper } from "../paper.ts";

const MAGIC = "PBCS";
/** Bump whenever the layout changes. */
export const SNAPSHOT_FORMAT_VERSION = 1;
const PREFIX_BYTES = 16;
/** UTF-16 units per decoded segment: far under V8's ~2^29 cap, and few decode calls. */
const SEGMENT_CHARS = 32 * 1024 * 1024;
/** Int32s written per call, so writing never copies the whole section at once. */
const WRITE_INTS = 1 << 20;

const HAS_VERSION = 1;
const TITLE_DERIVED = 2;
const NONE = -1;

export interface CorpusSnapshot {
  /** What the snapshot was made from (data files, papers from arXiv, parser version). */
  fingerprint: string;
  /** `papersFingerprint` of the papers, so a saved index is checked without hashing them again. */
  papersFingerprint: string;
  papers: Paper[];
  problems: DataProblem[];
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
}

/** The strings of the snapshot, numbered; the repeated ones (authors, categories, files, dates) stored once. */
class StringTable {
  readonly list: string[] = [];
  private readonly numbers = new Map<string, number>();

  add(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.list.length;
      this.list.push(text);
      this.numbers.set(text, n);
    }
    return n;
  }

  /** A string no other paper shares (ids, titles, abstracts): not looked up, hashing it costs more than it saves. */
  unique(text: string): number {
    this.list.push(text);
    return this.list.length - 1;
  }

  optional(text: string | undefined): number {
    return text === undefined ? NONE : this.add(text);
  }
}

/** A growable Int32 list (a plain array of a million papers' numbers would box them). */
class IntList {
  data = new Int32Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
}

function encodePapers(papers: readonly Paper[]): { ints: IntList; strings: StringTable } {
  const ints = new IntList();
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
    ints.push(strings.unique(paper.abstract));
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

/** Strings grouped into segments of at most SEGMENT_CHARS units (a longer string gets one of its own). */
function segmentsOf(list: readonly string[]): {
  ends: Int32Array;
  groups: { from: number; to: number; chars: number }[];
} {
  const ends = new Int32Array(list.length);
  const groups: { from: number; to: number; chars: number }[] = [];
  let from = 0;
  let chars = 0;
  list.forEach((text, i) => {
    if (chars > 0 && chars + text.length > SEGMENT_CHARS) {
      groups.push({ from, to: i, chars });
      from = i;
      chars = 0;
    }
    chars += text.length;
    ends[i] = chars;
  });
  if (from < list.length) groups.push({ from, to: list.length, chars });
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
      crc = crc32(bytes, crc);
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
      at += bytes.length;
    };
    for (let from = 0; from < ints.length; from += WRITE_INTS)
      put(bytesOf(ints.data, from, Math.min(ints.length, from + WRITE_INTS)));
    for (let from = 0; from < ends.length; from += WRITE_INTS)
      put(bytesOf(ends, from, Math.min(ends.length, from + WRITE_INTS)));
    // Each segment is encoded into one reused buffer, string by string: no joined text, no garbage
    // the size of the corpus. UTF-8 takes at most 3 bytes per UTF-16 unit.
    const scratch = Buffer.allocUnsafeSlow(3 * Math.max(0, ...groups.map((group) => group.chars)));
    const segments = groups.map(({ from, to, chars }) => {
      let used = 0;
      for (let i = from; i < to; i++) used += scratch.write(strings.list[i] as string, used, "utf8");
      put(scratch.subarray(0, used));
      return { strings: to - from, bytes: used, ascii: used === chars };
    });
    const header: Header = {
      fingerprint: snapshot.fingerprint,
      papersFingerprint: snapshot.papersFingerprint,
      count: snapshot.papers.length,
      problems: snapshot.problems,
      ints: ints.length,
      strings: strings.list.length,
      segments,
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

/** Shared by every paper with no authors, categories or comments, as the loader does. */
const NO_STRINGS = Object.freeze([]) as unknown as string[];

function decodePapers(header: Header, ints: Int32Array, strings: string[]): Paper[] {
  const papers: Paper[] = new Array(header.count);
  let at = 0;
  const next = () => ints[at++] as number;
  const text = (n: number) => {
    const value = strings[n];
    if (value === undefined) throw new Error("snapshot is damaged (a string is missing)");
    return value;
  };
  const list = () => {
    const length = next();
    if (length === 0) return NO_STRINGS;
    const items = new Array<string>(length);
    for (let i = 0; i < length; i++) items[i] = text(next());
    return items;
  };
  for (let p = 0; p < header.count; p++) {
    const flags = next();
    const version = next();
    const id = text(next());
    const title = text(next());
    const abstract = text(next());
    const venue = next();
    const codeUrl = next();
    const doi = next();
    const published = next();
    // The loader's property order, so papers from a snapshot share its objects' shape.
    const paper: Paper = {
      id,
      title,
      titleDerived: (flags & TITLE_DERIVED) !== 0,
      authors: list(),
      abstract,
      categories: list(),
      comments: list(),
      sources: [],
    };
    const sources = next();
    for (let s = 0; s < sources; s++) paper.sources.push({ file: text(next()), line: next() });
    if (flags & HAS_VERSION) paper.version = version;
    if (venue !== NONE) paper.venue = text(venue);
    if (codeUrl !== NONE) paper.codeUrl = text(codeUrl);
    if (doi !== NONE) paper.doi = text(doi);
    if (published !== NONE) paper.published = text(published);
    papers[p] = paper;
  }
  if (at !== ints.length) throw new Error("snapshot is damaged (papers do not fill it)");
  return papers;
}

/**
 * Reads and checks a snapshot; rejects when it is not an intact snapshot of this format. With
 * `expected`, a snapshot of other inputs resolves undefined after reading only its header.
 */
export async function readCorpusSnapshot(
  path: string,
  expected?: string,
): Promise<CorpusSnapshot | undefined> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const readAt = async <T extends Uint8Array | Int32Array>(into: T, at: number): Promise<T> => {
      if (at + into.byteLength > size) throw new Error("snapshot is truncated");
      const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, at + done);
        if (bytesRead === 0) throw new Error("snapshot is truncated");
        done += bytesRead;
      }
      return into;
    };
    const prefix = await readAt(Buffer.alloc(PREFIX_BYTES), 0);
    if (prefix.toString("latin1", 0, 4) !== MAGIC) throw new Error("not a paperbot corpus snapshot");
    const version = prefix.readUInt32LE(4);
    if (version !== SNAPSHOT_FORMAT_VERSION)
      throw new Error(`snapshot format ${version}, expected ${SNAPSHOT_FORMAT_VERSION}`);
    const headerLength = prefix.readUInt32LE(12);
    if (PREFIX_BYTES + headerLength > size) throw new Error("snapshot is truncated");
    const headerBytes = await readAt(Buffer.alloc(headerLength), size - headerLength);
    let header: Header;
    try {
      header = JSON.parse(headerBytes.toString("utf8")) as Header;
    } catch {
      throw new Error("snapshot is damaged (its header is not readable)");
    }
    if (expected !== undefined && header.fingerprint !== expected) return undefined;
    // Before allocating what a damaged header may claim.
    const body = (header.ints + header.strings) * 4 + header.segments.reduce((sum, s) => sum + s.bytes, 0);
    if (!(PREFIX_BYTES + body + headerLength === size)) throw new Error("snapshot is truncated");
    let crc = 0;
    const check = (into: Uint8Array | Int32Array) => {
      crc = crc32(new Uint8Array(into.buffer, into.byteOffset, into.byteLength), crc);
    };
    const ints = await readAt(new Int32Array(header.ints), PREFIX_BYTES);
    check(ints);
    const ends = await readAt(new Int32Array(header.strings), PREFIX_BYTES + ints.byteLength);
    check(ends);
    const strings = new Array<string>(header.strings);
    let n = 0;
    // Two buffers, taking turns: the next segment is read (off the main thread) while this one is
    // checked and decoded, which copies out of it.
    const largest = Math.max(0, ...header.segments.map((segment) => segment.bytes));
    const buffers = [
      Buffer.allocUnsafeSlow(largest),
      Buffer.allocUnsafeSlow(header.segments.length > 1 ? largest : 0),
    ];
    let at = PREFIX_BYTES + ints.byteLength + ends.byteLength;
    const readSegment = (i: number) => {
      const segment = header.segments[i];
      if (!segment) return undefined;
      const reading = readAt((buffers[i % 2] as Buffer).subarray(0, segment.bytes), at);
      at += segment.bytes;
      return reading;
    };
    let next = readSegment(0);
    for (let i = 0; i < header.segments.length; i++) {
      const segment = header.segments[i] as Header["segments"][number];
      const bytes = (await next) as Buffer;
      next = readSegment(i + 1);
      check(bytes);
      const text = bytes.toString(segment.ascii ? "latin1" : "utf8");
      let start = 0;
      for (let s = 0; s < segment.strings; s++, n++) {
        const end = ends[n] as number;
        strings[n] = text.slice(start, end);
        start = end;
      }
      if (start !== text.length) throw new Error("snapshot is damaged (a segment does not add up)");
    }
    if (n !== header.strings) throw new Error("snapshot is damaged (strings are missing)");
    check(headerBytes);
    if (crc >>> 0 !== prefix.readUInt32LE(8)) throw new Error("snapshot is damaged");
    return {
      fingerprint: header.fingerprint,
      papersFingerprint: header.papersFingerprint,
      papers: decodePapers(header, ints, strings),
      problems: header.problems,
    };
  } finally {
    await handle.close();
  }
}
