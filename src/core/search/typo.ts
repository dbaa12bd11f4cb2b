/**
 * Typo candidates for vocabulary words, SymSpell style (deletion neighbourhood, distance 1).
 *
 * Every vocabulary word and each of its one-letter deletions is hashed; the table is one
 * sorted Float64Array of `hash * 2^22 + wordId`, so it costs 8 bytes an entry, persists as
 * raw bytes and answers with a binary search. A small directory of where each range of hashes
 * starts (typoStarts) keeps that search within a few neighbouring entries: a binary search over
 * the whole table cost a cache miss per step, about 20 per deletion looked up. A query word's own
 * deletions are looked up the same way; hash hits are verified with a real edit distance, so
 * collisions cost nothing but a comparison. Covers a dropped, added, changed or swapped letter.
 */

import type { WordList } from "./word-list.ts";

const ID_BITS = 22;
const ID_SPACE = 2 ** ID_BITS;
/** Shorter words have too many neighbours to correct usefully ("gan" -> "can", "man", "fan"). */
export const MIN_TYPO_LENGTH = 4;

/** FNV-1a over the word with the character at `skip` left out (-1: none), folded to 31 bits. */
function hashSkipping(word: string, skip: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    if (i === skip) continue;
    h ^= word.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) & 0x7fffffff;
}

/** The word's own hash (no letter left out), for tables keyed by word. */
export const wordHash = (word: string): number => hashSkipping(word, -1);

/** Sorted deletion table for `words` (ids are array positions). */
export function buildTypoTable(words: readonly string[]): Float64Array {
  let size = 0;
  const limit = Math.min(words.length, ID_SPACE);
  for (let id = 0; id < limit; id++) {
    const len = (words[id] as string).length;
    if (len >= MIN_TYPO_LENGTH - 1) size += 1 + (len >= MIN_TYPO_LENGTH ? len : 0);
  }
  const keys = new Float64Array(size);
  let n = 0;
  for (let id = 0; id < limit; id++) {
    const word = words[id] as string;
    if (word.length < MIN_TYPO_LENGTH - 1) continue;
    keys[n++] = hashSkipping(word, -1) * ID_SPACE + id;
    if (word.length < MIN_TYPO_LENGTH) continue;
    for (let i = 0; i < word.length; i++) {
      // A doubled letter yields the same deletion twice; keep one.
      if (i > 0 && word[i] === word[i - 1]) continue;
      keys[n++] = hashSkipping(word, i) * ID_SPACE + id;
    }
  }
  return keys.subarray(0, n).sort();
}

/**
 * Where each range of hashes starts in the sorted `table` (the top bits of the 31-bit hash pick
 * the range), and where the last ends: 8 to 16 entries a range (more past 16 million entries).
 */
export function buildTypoStarts(table: Float64Array): Int32Array {
  let bits = 0;
  while (bits < 20 && table.length >> (bits + 4) > 0) bits++;
  const starts = new Int32Array((1 << bits) + 1);
  let range = 0;
  for (let k = 0; k < table.length; k++) {
    const rangeOfKey = rangeOf(Math.floor((table[k] as number) / ID_SPACE), bits);
    while (range <= rangeOfKey) starts[range++] = k;
  }
  starts.fill(table.length, range);
  return starts;
}

/** The range of a 31-bit hash in a directory of 2^bits ranges (its top bits). */
const rangeOf = (hash: number, bits: number) => hash >>> (31 - bits);

/** The first key of `hash` (or where it would be) in the table; `bits`: the directory's. */
function lowerBound(keys: Float64Array, starts: Int32Array, bits: number, hash: number): number {
  const value = hash * ID_SPACE;
  const range = rangeOf(hash, bits);
  let lo = starts[range] as number;
  let hi = starts[range + 1] as number;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when a and b differ by at most one insertion, deletion, substitution or adjacent swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Vocabulary ids within one edit of `word` (the word itself excluded), at most `max`; `starts`
 * is the table's directory (buildTypoStarts).
 */
export function typoCandidates(
  word: string,
  words: WordList,
  table: Float64Array,
  starts: Int32Array,
  max: number,
): number[] {
  if (word.length < MIN_TYPO_LENGTH - 1) return [];
  const found = new Set<number>();
  const bits = Math.log2(starts.length - 1);
  const probe = (hash: number) => {
    const start = hash * ID_SPACE;
    for (let k = lowerBound(table, starts, bits, hash); k < table.length; k++) {
      const key = table[k] as number;
      if (key >= start + ID_SPACE) break;
      const id = key - start;
      if (found.has(id)) continue;
      const candidate = words.at(id) as string;
      if (candidate !== word && withinOneEdit(word, candidate)) found.add(id);
    }
  };
  probe(hashSkipping(word, -1));
  if (word.length >= MIN_TYPO_LENGTH) {
    for (let i = 0; i < word.length; i++) {
      if (i > 0 && word[i] === word[i - 1]) continue;
      probe(hashSkipping(word, i));
    }
  }
  return [...found].slice(0, max);
}
