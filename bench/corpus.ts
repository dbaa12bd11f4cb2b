/**
 * Deterministic synthetic corpus for the benchmark: a Zipf-distributed vocabulary of 200,000
 * invented words, abstracts of 120-200 words, written in paperbot's native text format
 * (papers.txt) plus a metadata sheet (papers.meta.tsv) so the real loader is measured too.
 *
 * Queries: two distinctive words (the rarest in the corpus) of one target paper; every second
 * query has one typo, a dropped letter. A second, disjoint set (other target papers) is used
 * to warm engines up, so no engine is timed on queries it has just answered. Same seed, same corpus and queries, every run; the
 * first N papers of a larger corpus are the N-paper corpus.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { QUERY_FILLER, STOPWORDS } from "../src/core/search/normalize.ts";

export const VOCABULARY_SIZE = 200_000;
export const QUERY_COUNT = 200;
const SEED = 20240531;
const ZIPF_EXPONENT = 1.0;

export interface BenchQuery {
  text: string;
  target: string;
  typo: boolean;
}

/** mulberry32: small, fast, seeded; its whole state is one number, so a paper's words can be drawn again from it. */
class Mulberry32 {
  constructor(public state: number) {
    this.state = state >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export function seededRandom(seed: number): () => number {
  const generator = new Mulberry32(seed);
  return () => generator.next();
}

const CONSONANTS = "bcdfghjklmnprstvwz";
const VOWELS = "aeiou";

function makeVocabulary(random: () => number): string[] {
  const words = new Set<string>();
  const pick = (letters: string) => letters[Math.floor(random() * letters.length)] as string;
  while (words.size < VOCABULARY_SIZE) {
    const syllables = 2 + Math.floor(random() * 3);
    let word = "";
    for (let s = 0; s < syllables; s++) {
      word += pick(CONSONANTS) + pick(VOWELS);
      if (random() < 0.25) word += pick(CONSONANTS);
    }
    if (!STOPWORDS.has(word) && !QUERY_FILLER.has(word)) words.add(word);
  }
  return [...words];
}

function zipfCdf(n: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    sum += 1 / (r + 1) ** ZIPF_EXPONENT;
    cdf[r] = sum;
  }
  for (let r = 0; r < n; r++) cdf[r] = (cdf[r] as number) / sum;
  return cdf;
}

function sample(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cdf[mid] as number) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const capitalize = (w: string) => (w[0] ?? "").toUpperCase() + w.slice(1);

/** Papers per data file: one file stays far under the loader's 256 MiB limit for one file. */
export const PAPERS_PER_FILE = 100_000;

/** papers.txt up to 100,000 papers (as always); beyond, papers-01.txt, papers-02.txt, ... of 100,000 each. */
export function paperFileName(size: number, paper: number): string {
  if (size <= PAPERS_PER_FILE) return "papers.txt";
  return `papers-${String(Math.floor(paper / PAPERS_PER_FILE) + 1).padStart(2, "0")}.txt`;
}

/** Appends text to a file through a small buffer: a million papers never make one giant string. */
class StreamedFile {
  private fd: number;
  private pending: string[] = [];
  private chars = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(text: string): void {
    this.pending.push(text);
    this.chars += text.length;
    if (this.chars > 1 << 20) this.flush();
  }

  private flush(): void {
    writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.chars = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** One abstract's words, drawn from the generator (the same draws whether writing or drawing again). */
function abstractWords(random: () => number, cdf: Float64Array): Int32Array {
  const length = 120 + Math.floor(random() * 81);
  const words = new Int32Array(length);
  for (let i = 0; i < length; i++) words[i] = sample(cdf, random());
  return words;
}

/**
 * Writes papers.txt (or papers-NN.txt), papers.meta.tsv and queries.json into `dir` (once; reused
 * after). Streams: only a few numbers per paper stay in memory, so a million papers fit (it takes
 * a while: 1,000,000 papers are ~1.5 GB of text).
 */
export function ensureCorpus(dir: string, size: number): { dir: string; queries: BenchQuery[] } {
  const queriesPath = join(dir, "queries.json");
  const warmupPath = join(dir, "warmup.json");
  if (existsSync(queriesPath) && existsSync(warmupPath)) {
    return { dir, queries: JSON.parse(readFileSync(queriesPath, "utf8")) };
  }
  mkdirSync(dir, { recursive: true });
  const generator = new Mulberry32(SEED);
  const random = () => generator.next();
  const vocabulary = makeVocabulary(random);
  const cdf = zipfCdf(vocabulary.length);
  const surnames = vocabulary.slice(5000, 25000).map(capitalize);
  const given = vocabulary.slice(1000, 1400).map(capitalize);
  const venues = ["ICML", "NeurIPS", "ICLR", "CVPR", "ICCV", "ECCV", "ACL", "EMNLP", "AAAI", "UAI"];

  const count = new Int32Array(vocabulary.length);
  // Where each abstract's draws start: the query targets' words are drawn again from there.
  const abstractStart = new Uint32Array(size);
  const meta = new StreamedFile(join(dir, "papers.meta.tsv"));
  meta.write("arxiv_id\ttitle\tauthors\tcategories\tvenue");
  let text: StreamedFile | undefined;
  let textName = "";
  const ids: string[] = [];
  const perMonth = new Map<string, number>();
  for (let p = 0; p < size; p++) {
    const name = paperFileName(size, p);
    if (name !== textName) {
      text?.close();
      text = new StreamedFile(join(dir, name));
      textName = name;
    } else text?.write("\n");
    abstractStart[p] = generator.state;
    const words = abstractWords(random, cdf);
    const length = words.length;
    const seen = new Set<number>();
    for (const w of words) {
      if (seen.has(w)) continue;
      seen.add(w);
      count[w] = (count[w] as number) + 1;
    }
    let prose = "";
    let sentenceStart = true;
    for (let i = 0; i < length; i++) {
      const word = vocabulary[words[i] as number] as string;
      prose += sentenceStart ? capitalize(word) : word;
      sentenceStart = i === length - 1 || random() < 0.07;
      prose += sentenceStart ? ". " : " ";
    }
    const year = 2015 + Math.floor(random() * 10);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const yymm = `${String(year % 100).padStart(2, "0")}${String(month).padStart(2, "0")}`;
    const n = (perMonth.get(yymm) ?? 0) + 1;
    perMonth.set(yymm, n);
    const id = `${yymm}.${String(n).padStart(5, "0")}`;
    ids.push(id);
    const date = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    const venue = random() < 0.4 ? `${venues[Math.floor(random() * venues.length)]} ${year}` : "";
    const comment = venue ? `\n\n${venue} conference proceedings` : "";
    text?.write(`${prose.trim()}${comment}\n\narXiv:${id}\nCreated: ${date}\n`);
    const titleWords = Array.from({ length: 5 + Math.floor(random() * 6) }, () =>
      capitalize(vocabulary[sample(cdf, random())] as string),
    );
    const authorCount = 1 + Math.floor(random() * 5);
    const authors = Array.from(
      { length: authorCount },
      () =>
        `${given[Math.floor(random() * given.length)]} ${surnames[Math.floor(random() * surnames.length)]}`,
    );
    meta.write(`\n${[id, titleWords.join(" "), authors.join("; "), "cs.LG", venue].join("\t")}`);
  }
  text?.close();
  meta.write("\n");
  meta.close();

  const qrandom = seededRandom(SEED + 1);
  const queries: BenchQuery[] = [];
  const used = new Set<number>();
  // Twice as many as measured: the second half (other target papers) warms engines up untimed.
  while (queries.length < 2 * QUERY_COUNT && used.size < size) {
    const p = Math.floor(qrandom() * size);
    if (used.has(p)) continue;
    used.add(p);
    const again = new Mulberry32(abstractStart[p] as number);
    const distinct = [...new Set(abstractWords(() => again.next(), cdf))].filter(
      (w) => (vocabulary[w] as string).length >= 5,
    );
    distinct.sort((a, b) => (count[a] as number) - (count[b] as number) || a - b);
    const [a, b] = distinct.map((w) => vocabulary[w] as string);
    if (!a || !b) continue;
    const typo = queries.length % 2 === 1;
    let words = [a, b];
    if (typo) {
      const which = Math.floor(qrandom() * 2);
      const word = words[which] as string;
      const at = Math.floor(qrandom() * word.length);
      words = words.map((w, i) => (i === which ? w.slice(0, at) + w.slice(at + 1) : w));
    }
    queries.push({ text: words.join(" "), target: ids[p] as string, typo });
  }

  writeFileSync(warmupPath, JSON.stringify(queries.slice(QUERY_COUNT), null, 1));
  writeFileSync(`${queriesPath}.tmp`, JSON.stringify(queries.slice(0, QUERY_COUNT), null, 1));
  renameSync(`${queriesPath}.tmp`, queriesPath);
  return { dir, queries: queries.slice(0, QUERY_COUNT) };
}
