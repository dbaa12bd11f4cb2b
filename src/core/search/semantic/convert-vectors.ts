/**
 * Converts the word-vector package's JSON (about 300 MB: `{"dimensions":100, ..., "vectors":
 * {"word":[v1..v100, l2norm, rank], ...}}`) into compact WordVectorData, reading it in chunks and
 * parsing numbers from bytes: parsing it with JSON.parse would hold gigabytes of JS objects.
 * Only words our tokenizer can produce are kept (ASCII letters and digits, at least one letter).
 *
 * The vectors are post-processed as in "all-but-the-top" (Mu and Viswanath, 2018): the mean and
 * the top principal directions are removed. They carry word frequency, not meaning, and without
 * this, common words ("taken", "given", "well") look similar to everything.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { buildWordTable, type WordVectorData } from "./word-vectors.ts";

const CHUNK = 8 << 20;
/** Bytes kept ahead of the parser so one whole entry (about 1.2 KB) is always in the window. */
const LOOKAHEAD = 64 << 10;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const CLOSE_BRACE = 125;
/** Principal directions removed, and the most frequent words they are estimated on. */
const COMMON_DIRECTIONS = 3;
const COMMON_SAMPLE = 50_000;

class ChunkReader {
  readonly fd: number;
  buf = Buffer.alloc(CHUNK + LOOKAHEAD);
  len = 0;
  pos = 0;
  eof = false;

  constructor(path: string) {
    this.fd = openSync(path, "r");
  }

  /** Makes sure `want` bytes after pos are in the window (unless the file ends first). */
  ensure(want = LOOKAHEAD): void {
    if (this.eof || this.len - this.pos >= want) return;
    this.buf.copy(this.buf, 0, this.pos, this.len);
    this.len -= this.pos;
    this.pos = 0;
    while (this.len < this.buf.length && !this.eof) {
      const n = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, null);
      if (n === 0) this.eof = true;
      this.len += n;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

function fail(what: string): never {
  throw new Error(`the word vectors file is not as expected (${what})`);
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** A JSON number at r.pos (no leading whitespace); advances past it. */
function readNumber(r: ChunkReader): number {
  const b = r.buf;
  let i = r.pos;
  let sign = 1;
  if (b[i] === 45) {
    sign = -1;
    i++;
  }
  let value = 0;
  let c = b[i] as number;
  while (c >= 48 && c <= 57) {
    value = value * 10 + (c - 48);
    c = b[++i] as number;
  }
  if (c === 46) {
    let scale = 0.1;
    c = b[++i] as number;
    while (c >= 48 && c <= 57) {
      value += (c - 48) * scale;
      scale *= 0.1;
      c = b[++i] as number;
    }
  }
  if (c === 101 || c === 69) {
    c = b[++i] as number;
    let expSign = 1;
    if (c === 45 || c === 43) {
      if (c === 45) expSign = -1;
      c = b[++i] as number;
    }
    let exp = 0;
    while (c >= 48 && c <= 57) {
      exp = exp * 10 + (c - 48);
      c = b[++i] as number;
    }
    value *= 10 ** (expSign * exp);
  }
  if (i === r.pos) fail(`a number expected at byte ${r.pos}`);
  r.pos = i;
  return sign * value;
}

function skipSpace(r: ChunkReader): void {
  while (r.pos < r.len && isSpace(r.buf[r.pos] as number)) r.pos++;
}

/** A word usable by the tokenizer: [a-z0-9]{2,} with a letter. */
function keptWord(b: Buffer, start: number, end: number): boolean {
  if (end - start < 2) return false;
  let letter = false;
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c >= 97 && c <= 122) letter = true;
    else if (c < 48 || c > 57) return false;
  }
  return letter;
}

export function convertWordVectors(jsonPath: string, source: string): WordVectorData {
  const r = new ChunkReader(jsonPath);
  try {
    r.ensure(4096);
    const head = r.buf.toString("latin1", 0, Math.min(r.len, 4096));
    const dims = Number(/"dimensions"\s*:\s*(\d+)/.exec(head)?.[1] ?? fail("no dimensions"));
    const size = Number(/"size"\s*:\s*(\d+)/.exec(head)?.[1] ?? fail("no size"));
    const rankAt = Number(/"wordIndex"\s*:\s*(\d+)/.exec(head)?.[1] ?? fail("no wordIndex"));
    if (!(dims > 0 && dims <= 1024 && size > 0 && rankAt >= dims)) fail("odd header");
    // Find the vectors object (after the words array).
    const marker = Buffer.from('"vectors":{');
    for (;;) {
      const at = r.buf.indexOf(marker, r.pos);
      if (at >= 0 && at < r.len) {
        r.pos = at + marker.length;
        break;
      }
      if (r.eof) fail("no vectors");
      r.pos = Math.max(r.pos, r.len - marker.length);
      r.ensure(CHUNK);
    }

    const raw = new Float32Array(size * dims);
    const ranks = new Float64Array(size);
    const words: string[] = [];
    const values = new Float64Array(rankAt + 1);
    for (;;) {
      r.ensure();
      skipSpace(r);
      if (r.buf[r.pos] === 44) {
        r.pos++;
        skipSpace(r);
      }
      if (r.buf[r.pos] === CLOSE_BRACE) break;
      if (r.buf[r.pos] !== QUOTE) fail(`a word expected at byte ${r.pos}`);
      const start = r.pos + 1;
      let end = start;
      while (end < r.len && r.buf[end] !== QUOTE) end += r.buf[end] === BACKSLASH ? 2 : 1;
      if (end >= r.len) fail("a word runs off the end");
      r.pos = end + 1;
      skipSpace(r);
      if (r.buf[r.pos] !== 58) fail("':' expected");
      r.pos++;
      skipSpace(r);
      if (r.buf[r.pos] !== OPEN_BRACKET) fail("'[' expected");
      r.pos++;
      let n = 0;
      for (;;) {
        skipSpace(r);
        if (r.buf[r.pos] === CLOSE_BRACKET) break;
        const v = readNumber(r);
        if (n <= rankAt) values[n] = v;
        n++;
        skipSpace(r);
        if (r.buf[r.pos] === 44) r.pos++;
      }
      r.pos++;
      if (n <= rankAt) fail("a vector is too short");
      if (!keptWord(r.buf, start, end) || words.length >= size) continue;
      const row = words.length;
      words.push(r.buf.toString("latin1", start, end));
      ranks[row] = values[rankAt] as number;
      for (let k = 0; k < dims; k++) raw[row * dims + k] = values[k] as number;
    }
    return pack(source, dims, words, raw, ranks);
  } finally {
    r.close();
  }
}

/** Mean and top principal directions of the most frequent rows (power iteration on the covariance). */
function commonDirections(raw: Float32Array, order: number[], dims: number): Float64Array[] {
  const n = Math.min(order.length, COMMON_SAMPLE);
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    const at = (order[i] as number) * dims;
    for (let k = 0; k < dims; k++) mean[k] = (mean[k] as number) + (raw[at + k] as number) / n;
  }
  const cov = new Float64Array(dims * dims);
  const v = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    const at = (order[i] as number) * dims;
    for (let k = 0; k < dims; k++) v[k] = (raw[at + k] as number) - (mean[k] as number);
    for (let a = 0; a < dims; a++) {
      const va = v[a] as number;
      for (let b = a; b < dims; b++)
        cov[a * dims + b] = (cov[a * dims + b] as number) + va * (v[b] as number);
    }
  }
  for (let a = 0; a < dims; a++) for (let b = 0; b < a; b++) cov[a * dims + b] = cov[b * dims + a] as number;
  const directions: Float64Array[] = [];
  // Few dimensions (tests' tiny files) keep most of theirs.
  for (let c = 0; c < Math.min(COMMON_DIRECTIONS, Math.floor(dims / 10)); c++) {
    // A fixed start (not random): the same package converts to the same bytes every time.
    let x = new Float64Array(dims).map((_, k) => Math.cos(k * (c + 1.3)));
    for (let iteration = 0; iteration < 100; iteration++) {
      const y = new Float64Array(dims);
      for (let a = 0; a < dims; a++) {
        let sum = 0;
        for (let b = 0; b < dims; b++) sum += (cov[a * dims + b] as number) * (x[b] as number);
        y[a] = sum;
      }
      for (const d of directions) removeAlong(y, d);
      const norm = Math.hypot(...y) || 1;
      x = y.map((value) => value / norm);
    }
    directions.push(x);
  }
  return [mean, ...directions];
}

function removeAlong(v: Float64Array, unit: Float64Array): void {
  let dot = 0;
  for (let k = 0; k < v.length; k++) dot += (v[k] as number) * (unit[k] as number);
  for (let k = 0; k < v.length; k++) v[k] = (v[k] as number) - dot * (unit[k] as number);
}

/** Rows in frequency order, each a post-processed unit vector quantised to int8 with its own scale. */
function pack(
  source: string,
  dims: number,
  words: string[],
  raw: Float32Array,
  ranks: Float64Array,
): WordVectorData {
  const count = words.length;
  const order = Array.from({ length: count }, (_, i) => i).sort(
    (a, b) => (ranks[a] as number) - (ranks[b] as number),
  );
  const [mean, ...directions] = commonDirections(raw, order, dims) as [Float64Array, ...Float64Array[]];
  const vectors = new Int8Array(count * dims);
  const scales = new Float32Array(count);
  const sorted: string[] = [];
  const wordOffsets = new Int32Array(count + 1);
  let bytes = 0;
  for (const from of order) bytes += (words[from] as string).length;
  const wordBytes = new Uint8Array(bytes);
  const v = new Float64Array(dims);
  let at = 0;
  order.forEach((from, row) => {
    const word = words[from] as string;
    sorted.push(word);
    for (let i = 0; i < word.length; i++) wordBytes[at + i] = word.charCodeAt(i);
    at += word.length;
    wordOffsets[row + 1] = at;
    for (let k = 0; k < dims; k++) v[k] = (raw[from * dims + k] as number) - (mean[k] as number);
    for (const d of directions) removeAlong(v, d);
    let norm = 0;
    let max = 0;
    for (let k = 0; k < dims; k++) {
      norm += (v[k] as number) ** 2;
      max = Math.max(max, Math.abs(v[k] as number));
    }
    norm = Math.sqrt(norm);
    if (norm === 0) return;
    const scale = max / norm / 127;
    scales[row] = scale;
    for (let k = 0; k < dims; k++) vectors[row * dims + k] = Math.round((v[k] as number) / norm / scale);
  });
  return { source, dims, count, vectors, scales, wordOffsets, wordBytes, table: buildWordTable(sorted) };
}
