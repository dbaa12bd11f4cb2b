/**
 * Lists for building large tables: Int32s without boxing (a plain array of a million numbers
 * would box them), and strings numbered in the order they were first added.
 */

export class IntList {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(1, capacity));
  }

  /** A list holding `values` to begin with (copied). */
  static of(values: Int32Array): IntList {
    const list = new IntList(values.length * 2);
    list.data.set(values);
    list.length = values.length;
    return list;
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** The values, in an array of their own. */
  take(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

export class NumberedStrings {
  /** The strings by number. */
  readonly list: string[];
  private readonly numbers: Map<string, number>;

  /** Numbered from `list` (copied) to begin with. */
  constructor(list: readonly string[] = []) {
    this.list = [...list];
    this.numbers = new Map(this.list.map((text, n) => [text, n]));
  }

  /** The string's number: the next one when it is new. */
  add(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.list.length;
      this.list.push(text);
      this.numbers.set(text, n);
    }
    return n;
  }
}
