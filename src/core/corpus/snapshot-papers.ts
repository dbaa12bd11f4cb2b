/**
 * Papers read from a corpus snapshot (snapshot-format.ts) without decoding them: each paper is a
 * number into the snapshot's records, and its fields are cut from the snapshot's text the first
 * time they are read (its abstract, from disk, each time; see abstract-shelf.ts). A restart at
 * 100,000 papers decoded half a million strings and as many objects before; now it makes one
 * small object per paper.
 *
 * A paper's record (Int32s): flags, version, id, title, venue, code URL, DOI, published date
 * (string numbers, NONE when absent), then authors, categories and comments (a count, then string
 * numbers), then sources (a count, then a file's string number and a line each).
 */
import type { Paper, SourceRef } from "../paper.ts";
import { firstWordOf, type NamedAuthor, type QuestionContext } from "../search/question.ts";
import { wordHash } from "../search/typo.ts";
import type { AbstractShelf } from "./abstract-shelf.ts";

export const HAS_VERSION = 1;
export const TITLE_DERIVED = 2;
/** An absent optional string. */
export const NONE = -1;
/** Int32s before a record's lists. */
const FIXED_FIELDS = 8;

/** Shared by every paper with no authors, categories or comments, as the loader does. */
const NO_STRINGS = Object.freeze([]) as unknown as string[];

/** A segment of the snapshot's strings: their UTF-8 bytes, one after another. */
export interface StringSegment {
  bytes: Buffer;
  /** latin1 when every byte is ASCII (decoded faster). */
  encoding: "latin1" | "utf8";
}

/** The snapshot's strings, numbered across its segments; each decoded from its bytes when asked. */
export class StringColumn {
  /**
   * `firsts[s]` is the number of segment s's first string; `ends[n]` is where string n ends inside
   * its segment, in bytes.
   */
  constructor(
    private readonly segments: readonly StringSegment[],
    private readonly firsts: Int32Array,
    private readonly ends: Int32Array,
  ) {}

  at(n: number): string {
    if (!(n >= 0 && n < this.ends.length)) throw new Error("snapshot is damaged (a string is missing)");
    let s = this.segments.length - 1;
    while ((this.firsts[s] as number) > n) s--;
    const start = n === this.firsts[s] ? 0 : (this.ends[n - 1] as number);
    const { bytes, encoding } = this.segments[s] as StringSegment;
    return bytes.toString(encoding, start, this.ends[n] as number);
  }
}

/** Where each paper's record starts; throws when the records do not fill `ints` exactly. */
export function recordStarts(ints: Int32Array, count: number): Int32Array {
  const starts = new Int32Array(count);
  let at = 0;
  for (let p = 0; p < count; p++) {
    starts[p] = at;
    at += FIXED_FIELDS;
    for (let list = 0; list < 3; list++) at += 1 + (ints[at] as number);
    at += 1 + 2 * (ints[at] as number);
    if (!(at <= ints.length)) break;
  }
  if (at !== ints.length) throw new Error("snapshot is damaged (papers do not fill it)");
  return starts;
}

/** What a snapshot's papers share: its records, strings and abstracts. */
export interface SnapshotRecords {
  ints: Int32Array;
  starts: Int32Array;
  strings: StringColumn;
  shelf: AbstractShelf;
}

/**
 * The authors, indexed by the first word of their folded name, and the venues, saved with the
 * snapshot so questions are checked against them without reading every paper. `names` holds a
 * triple per distinct author, sorted by the hash of that word: hash, string number, place in corpus
 * order (first appearance).
 */
export interface SnapshotNames {
  names: Int32Array;
  /** Distinct venues, in corpus order. */
  venues: string[];
}

export function namesOf(papers: readonly Paper[], numberOf: (text: string) => number): SnapshotNames {
  const seen = new Set<number>();
  const triples: [number, number, number][] = [];
  const venues = new Set<string>();
  for (const paper of papers) {
    if (paper.venue) venues.add(paper.venue);
    for (const author of paper.authors) {
      const n = numberOf(author);
      if (seen.has(n)) continue;
      seen.add(n);
      triples.push([wordHash(firstWordOf(author)), n, triples.length]);
    }
  }
  triples.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  return { names: Int32Array.from(triples.flat()), venues: [...venues] };
}

/** A QuestionContext over saved names: a word's candidates are found by hash and checked. */
export function snapshotContext(strings: StringColumn, { names, venues }: SnapshotNames): QuestionContext {
  const count = names.length / 3;
  return {
    venues,
    authorsStartingWith(first) {
      const hash = wordHash(first);
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((names[mid * 3] as number) < hash) lo = mid + 1;
        else hi = mid;
      }
      const found: NamedAuthor[] = [];
      for (let i = lo; i < count && names[i * 3] === hash; i++) {
        const name = strings.at(names[i * 3 + 1] as number);
        if (firstWordOf(name) === first) found.push({ order: names[i * 3 + 2] as number, name });
      }
      return found;
    },
  };
}

/** Every field but the id and abstract, decoded together on first use. */
interface Fields {
  title: string;
  titleDerived: boolean;
  authors: string[];
  categories: string[];
  comments: string[];
  sources: SourceRef[];
  version?: number;
  venue?: string;
  codeUrl?: string;
  doi?: string;
  published?: string;
}

function decodeFields(records: SnapshotRecords, paper: number): Fields {
  const { ints, strings } = records;
  let at = records.starts[paper] as number;
  const next = () => ints[at++] as number;
  const optional = (n: number) => (n === NONE ? undefined : strings.at(n));
  const list = () => {
    const length = next();
    if (length === 0) return NO_STRINGS;
    const items = new Array<string>(length);
    for (let i = 0; i < length; i++) items[i] = strings.at(next());
    return items;
  };
  const flags = next();
  const version = next();
  at++; // the id, read on its own
  const title = strings.at(next());
  const venue = optional(next());
  const codeUrl = optional(next());
  const doi = optional(next());
  const published = optional(next());
  const authors = list();
  const categories = list();
  const comments = list();
  const sources = new Array<SourceRef>(next());
  for (let s = 0; s < sources.length; s++) sources[s] = { file: strings.at(next()), line: next() };
  return {
    title,
    titleDerived: (flags & TITLE_DERIVED) !== 0,
    authors,
    categories,
    comments,
    sources,
    version: flags & HAS_VERSION ? version : undefined,
    venue,
    codeUrl,
    doi,
    published,
  };
}

/** A paper of a snapshot: its fields are read from the snapshot when first used. */
export class ShelvedPaper implements Paper {
  readonly #records: SnapshotRecords;
  readonly #at: number;
  #id?: string;
  #fields?: Fields;

  constructor(records: SnapshotRecords, at: number) {
    this.#records = records;
    this.#at = at;
  }

  private get fields(): Fields {
    this.#fields ??= decodeFields(this.#records, this.#at);
    return this.#fields;
  }

  get id(): string {
    this.#id ??= this.#records.strings.at(
      this.#records.ints[(this.#records.starts[this.#at] as number) + 2] as number,
    );
    return this.#id;
  }
  get abstract(): string {
    return this.#records.shelf.read(this.#at);
  }
  get title(): string {
    return this.fields.title;
  }
  get titleDerived(): boolean {
    return this.fields.titleDerived;
  }
  get authors(): string[] {
    return this.fields.authors;
  }
  get categories(): string[] {
    return this.fields.categories;
  }
  get comments(): string[] {
    return this.fields.comments;
  }
  get sources(): SourceRef[] {
    return this.fields.sources;
  }
  get version(): number | undefined {
    return this.fields.version;
  }
  get venue(): string | undefined {
    return this.fields.venue;
  }
  get codeUrl(): string | undefined {
    return this.fields.codeUrl;
  }
  get doi(): string | undefined {
    return this.fields.doi;
  }
  get published(): string | undefined {
    return this.fields.published;
  }
  forgetDecoded(): void {
    this.#fields = undefined;
  }
}
