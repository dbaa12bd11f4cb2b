/**
 * Index-time tokenizer: scans folded text character by character and looks each word up in an
 * open-addressing hash table keyed by the characters themselves, so a word seen before costs no
 * string allocation and no regex (a 100,000-paper corpus is ~17 million words). Produces exactly
 * the words `foldedWords` does (the query side), which the tests check.
 */
import { foldText } from "./normalize.ts";

const EMPTY = -1;
const UNICODE_WORD_CHAR = /[\p{L}\p{N}]/u;
const NON_ASCII = /[\u0080-\uffff]/;

/** ASCII lower case of one character code (the only folding ASCII text needs). */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

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

export class WordTable {
  private slots = new Int32Array(1 << 16).fill(EMPTY);
  private readonly words: string[] = [];
  private hashes: Int32Array = new Int32Array(1024);
  private values: Int32Array = new Int32Array(1024);

  /** `resolve` maps a new word to its value (e.g. a surface id, or -1 for a stopword). */
  constructor(private readonly resolve: (word: string) => number) {}

  /** Calls `visit(value)` for every word of `text` (length >= 2) whose value is >= 0. */
  scan(text: string, visit: (value: number) => void): void {
    // ASCII text (most abstracts) is lowercased on the fly: no folded copy of every abstract.
    const folded = NON_ASCII.test(text) ? foldText(text) : text;
    const n = folded.length;
    let start = -1;
    let h = 0;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? wordCode(folded.charCodeAt(i)) : -1;
      if (c >= 0) {
        if (start < 0) {
          start = i;
          h = 0x811c9dc5;
        }
        h = Math.imul(h ^ c, 0x01000193);
      } else if (start >= 0) {
        if (i - start >= 2) {
          const value = this.valueOf(folded, start, i, h);
          if (value >= 0) visit(value);
        }
        start = -1;
      }
    }
  }

  private valueOf(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    let slot = hash & mask;
    for (;;) {
      const k = this.slots[slot] as number;
      if (k === EMPTY) break;
      if (this.hashes[k] === hash) {
        const word = this.words[k] as string;
        if (word.length === length) {
          let same = true;
          for (let j = 0; j < length; j++) {
            if (word.charCodeAt(j) !== lower(text.charCodeAt(start + j))) {
              same = false;
              break;
            }
          }
          if (same) return this.values[k] as number;
        }
      }
      slot = (slot + 1) & mask;
    }
    const word = text.slice(start, end).toLowerCase();
    const value = this.resolve(word);
    this.insert(word, hash, value, slot);
    return value;
  }

  private insert(word: string, hash: number, value: number, slot: number): void {
    const k = this.words.length;
    if (k === this.hashes.length) {
      const hashes = new Int32Array(k * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const values = new Int32Array(k * 2);
      values.set(this.values);
      this.values = values;
    }
    this.words.push(word);
    this.hashes[k] = hash;
    this.values[k] = value;
    this.slots[slot] = k;
    if ((k + 1) * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let k = 0; k < this.words.length; k++) {
      let slot = (this.hashes[k] as number) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = k;
    }
    this.slots = slots;
  }
}
