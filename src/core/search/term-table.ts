/**
 * Term ids by word without a Map: an open-addressing table (linear probing) of term ids keyed by
 * the word's FNV-1a hash, built with the index and saved in it, so opening a saved index builds
 * nothing (a Map of 200,000 terms cost ~150 ms and much garbage at every start).
 */
import { wordHash } from "./typo.ts";
import type { WordList } from "./word-list.ts";

const EMPTY = -1;

/** A power of two at least twice the vocabulary: short probes. */
export function buildTermTable(terms: readonly string[]): Int32Array {
  let size = 16;
  while (size < terms.length * 2) size *= 2;
  const table = new Int32Array(size).fill(EMPTY);
  const mask = size - 1;
  terms.forEach((term, id) => {
    let slot = wordHash(term) & mask;
    while (table[slot] !== EMPTY) slot = (slot + 1) & mask;
    table[slot] = id;
  });
  return table;
}

export class TermLookup {
  constructor(
    private readonly terms: WordList,
    private readonly table: Int32Array,
  ) {}

  /** The term's id, undefined when the vocabulary lacks it. */
  get(word: string): number | undefined {
    const mask = this.table.length - 1;
    for (let slot = wordHash(word) & mask; ; slot = (slot + 1) & mask) {
      const id = this.table[slot] as number;
      if (id === EMPTY) return undefined;
      if (this.terms.at(id) === word) return id;
    }
  }
}
