/**
 * The index's vocabularies (terms, surface words) as saved: one UTF-8 run and where each word ends,
 * decoded a word at a time when asked, so opening a saved index makes no strings at all (200,000
 * terms and as many surface words were 400,000 strings, and their garbage, at every start).
 * A saved index reads its vocabularies whole before it serves (persist.ts).
 */

/** What the index reads of a vocabulary: a plain array in memory, a PackedWords when opened. */
export interface WordList {
  readonly length: number;
  at(id: number): string | undefined;
}

export class PackedWords implements WordList {
  private readonly text: Buffer;

  constructor(
    readonly bytes: Uint8Array,
    readonly ends: Int32Array,
  ) {
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.ends.length;
  }

  at(id: number): string | undefined {
    if (!(id >= 0 && id < this.ends.length)) return undefined;
    const start = id === 0 ? 0 : (this.ends[id - 1] as number);
    const end = this.ends[id] as number;
    return this.text.toString("utf8", start, end);
  }

  /** Packs words for saving. */
  static of(words: WordList): PackedWords {
    if (words instanceof PackedWords) return words;
    const list: string[] = [];
    for (let i = 0; i < words.length; i++) list.push(words.at(i) as string);
    const bytes = Buffer.from(list.join(""), "utf8");
    const ends = new Int32Array(list.length);
    let at = 0;
    list.forEach((word, i) => {
      at += Buffer.byteLength(word, "utf8");
      ends[i] = at;
    });
    return new PackedWords(bytes, ends);
  }
}
