/**
 * Index-time tokenizer: scans folded text character by character and looks each word up in an
 * open-addressing hash table keyed by the characters themselves, so a word seen before costs no
 * string allocation and no regex (a 100,000-paper corpus is ~17 million words). Produces exactly
 * the words `foldedWords` does (the query side), which the tests check.
 */
import { NON_ASCII } from "../text.ts";
import { foldText } from "./normalize.ts";

const UNICODE_WORD_CHAR = /[\p{L}\p{N}]/u;

/** Per ASCII code: the code lower-cased when it is a word character, else 0. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_WORD[c] = c;
for (let c = 97; c <= 122; c++) ASCII_WORD[c] = c;
for (let c = 65; c <= 90; c++) ASCII_WORD[c] = c + 32;

/** The code as it goes into a word (ASCII lower-cased), or -1 when it is no word character. */
function wordCode(c: number): number {
  if (c < 128) return (ASCII_WORD[c] as number) || -1;
  if (c >= 0xd800 && c <= 0xdfff) return -1;
  return UNICODE_WORD_CHAR.test(String.fromCharCode(c)) ? c : -1;
}

/**
 * A slot of the table is SLOT Int32s: the word's hash, its value, then its key. A word of at most
 * PACKED_MAX ASCII characters is its own key: 7 bits a character, 4 characters in each of the
 * first three key Int32s and the last 3 in the fourth, with the length and PACKED above them, so
 * comparing four Int32s compares the words exactly. A longer (or not ASCII) word's key is where its
 * characters start in the pool, then its length alone in the fourth (never with the PACKED bit, so
 * the two kinds never meet; 0: an empty slot).
 */
const SLOT = 6;
const PACKED_MAX = 15;
const PACKED = 1 << 30;

export class WordTable {
  /** Open addressing, every slot's fields side by side: a lookup touches one cache line. */
  private table = new Int32Array((1 << 16) * SLOT);
  private used = 0;
  /** The characters of words too long to pack (as scanned: ASCII lower-cased), one after another. */
  private pool = new Uint16Array(1 << 12);
  private poolLength = 0;

  /** `resolve` maps a new word to its value (e.g. a surface id, or -1 for a stopword). */
  constructor(private readonly resolve: (word: string) => number) {}

  /** Calls `visit(value)` for every word of `text` (length >= 2) whose value is >= 0. */
  scan(text: string, visit: (value: number) => void): void {
    // ASCII text (most abstracts) is lowercased on the fly: no folded copy of every abstract.
    const folded = NON_ASCII.test(text) ? foldText(text) : text;
    const n = folded.length;
    let i = 0;
    while (i < n) {
      let c = wordCode(folded.charCodeAt(i));
      if (c < 0) {
        i++;
        continue;
      }
      // A word starts: its hash and (while it is short and all ASCII) its packed key, a character at a time.
      const start = i;
      let h = 0x811c9dc5;
      let k0 = 0;
      let k1 = 0;
      let k2 = 0;
      let k3 = 0;
      let ascii = true;
      do {
        h = Math.imul(h ^ c, 0x01000193);
        const at = i - start;
        if (c >= 128) ascii = false;
        else if (at < 4) k0 = (k0 << 7) | c;
        else if (at < 8) k1 = (k1 << 7) | c;
        else if (at < 12) k2 = (k2 << 7) | c;
        else if (at < PACKED_MAX) k3 = (k3 << 7) | c;
        i++;
        c = i < n ? wordCode(folded.charCodeAt(i)) : -1;
      } while (c >= 0);
      const length = i - start;
      if (length < 2) continue;
      const value =
        ascii && length <= PACKED_MAX
          ? this.packedValue(folded, start, i, h, k0, k1, k2, k3 | (length << 21) | PACKED)
          : this.pooledValue(folded, start, i, h);
      if (value >= 0) visit(value);
    }
  }

  /** The value of a short ASCII word, keyed by its packed characters. */
  private packedValue(
    text: string,
    start: number,
    end: number,
    hash: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
  ): number {
    const table = this.table;
    const mask = table.length / SLOT - 1;
    let slot = hash & mask;
    for (;;) {
      const at = slot * SLOT;
      const key = table[at + 5] as number;
      if (key === 0) break;
      if (key === k3 && table[at + 2] === k0 && table[at + 3] === k1 && table[at + 4] === k2)
        return table[at + 1] as number;
      slot = (slot + 1) & mask;
    }
    const value = this.resolve(text.slice(start, end).toLowerCase());
    this.insert(slot, hash, value, k0, k1, k2, k3);
    return value;
  }

  /** The value of a longer (or not ASCII) word, its characters compared with the pool's. */
  private pooledValue(text: string, start: number, end: number, hash: number): number {
    const table = this.table;
    const mask = table.length / SLOT - 1;
    const length = end - start;
    let slot = hash & mask;
    for (;;) {
      const at = slot * SLOT;
      const key = table[at + 5] as number;
      if (key === 0) break;
      if (key === length && table[at] === hash) {
        const from = table[at + 2] as number;
        let same = true;
        for (let j = 0; j < length; j++) {
          if (this.pool[from + j] !== wordCode(text.charCodeAt(start + j))) {
            same = false;
            break;
          }
        }
        if (same) return table[at + 1] as number;
      }
      slot = (slot + 1) & mask;
    }
    const value = this.resolve(text.slice(start, end).toLowerCase());
    if (this.poolLength + length > this.pool.length) {
      const pool = new Uint16Array(Math.max(this.pool.length * 2, this.poolLength + length));
      pool.set(this.pool);
      this.pool = pool;
    }
    const from = this.poolLength;
    for (let j = 0; j < length; j++) this.pool[from + j] = wordCode(text.charCodeAt(start + j));
    this.poolLength += length;
    this.insert(slot, hash, value, from, 0, 0, length);
    return value;
  }

  private insert(
    slot: number,
    hash: number,
    value: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
  ): void {
    const at = slot * SLOT;
    const table = this.table;
    table[at] = hash;
    table[at + 1] = value;
    table[at + 2] = k0;
    table[at + 3] = k1;
    table[at + 4] = k2;
    table[at + 5] = k3;
    this.used++;
    if (this.used * 2 > this.table.length / SLOT) this.rehash();
  }

  private rehash(): void {
    const old = this.table;
    const table = new Int32Array(old.length * 2);
    const mask = table.length / SLOT - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      if (old[at + SLOT - 1] === 0) continue;
      let slot = (old[at] as number) & mask;
      while (table[slot * SLOT + SLOT - 1] !== 0) slot = (slot + 1) & mask;
      table.set(old.subarray(at, at + SLOT), slot * SLOT);
    }
    this.table = table;
  }
}
