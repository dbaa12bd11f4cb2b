import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/core/corpus/load-corpus.ts";
import {
  type CorpusSnapshot,
  readCorpusSnapshot,
  writeCorpusSnapshot,
} from "../../../src/core/corpus/snapshot-format.ts";
import type { Paper } from "../../../src/core/paper.ts";
import { corpusNames, PaperIndex } from "../../../src/core/paper-index.ts";
import { firstWordOf, listedNames } from "../../../src/core/search/question.ts";
import { DATA_DIR, plainPaper, plainPapers } from "../../fixtures/corpus.ts";

const snapshotPath = () => join(mkdtempSync(join(tmpdir(), "paperbot-snapshot-")), "index.corpus");

const full: Paper = {
  id: "2305.09088",
  title: "Ünïcödé title with $\\alpha$ and 𝔼 (astral)",
  titleDerived: false,
  authors: ["Gregor Bachmann", "Ada Lovelace"],
  abstract: "We study the Hessian's rank.\nA second line; emoji 🧠.",
  categories: ["cs.LG", "stat.ML"],
  comments: ["ICML 2023", "code at https://github.com/x/y"],
  sources: [
    { file: "data/papers.txt", line: 12 },
    { file: "data/papers.meta.tsv", line: 3 },
  ],
  version: 2,
  venue: "ICML 2023",
  codeUrl: "https://github.com/x/y",
  doi: "10.1000/xyz",
  published: "2023-05-16",
};
const bare: Paper = {
  id: "hep-th/9901001",
  title: "Derived from the abstract",
  titleDerived: true,
  authors: [],
  abstract: "",
  categories: [],
  comments: [],
  sources: [{ file: "data/papers.txt", line: 1 }],
};

function sample(papers: Paper[]): CorpusSnapshot {
  return {
    fingerprint: "inputs",
    papersFingerprint: "papers",
    papers,
    problems: [{ file: "data/broken.txt", line: 4, message: "no arXiv id" }],
  };
}

describe("corpus snapshot format", () => {
  it("gives back exactly the papers and problems it was given, optional fields and all", async () => {
    const path = snapshotPath();
    writeCorpusSnapshot(path, sample([full, bare, { ...full, id: "2305.09089", version: undefined }]));
    const read = (await readCorpusSnapshot(path)) as CorpusSnapshot;
    expect(read.fingerprint).toBe("inputs");
    expect(read.papersFingerprint).toBe("papers");
    expect(read.problems).toEqual(sample([]).problems);
    expect(plainPaper(read.papers[0] as Paper)).toEqual(full);
    expect(plainPaper(read.papers[1] as Paper)).toEqual(bare);
    expect(read.papers[2]?.version).toBeUndefined();
    expect(plainPaper(read.papers[2] as Paper)).not.toHaveProperty("version");
    expect(Object.keys(plainPaper(read.papers[1] as Paper)).sort()).toEqual(Object.keys(bare).sort());
  });

  it("lets a paper's decoded fields go after a build and decodes them again when read", async () => {
    const path = snapshotPath();
    writeCorpusSnapshot(path, sample([full, bare]));
    const { papers } = (await readCorpusSnapshot(path)) as CorpusSnapshot;
    const first = papers[0] as Paper;
    const authors = first.authors;
    expect(first.authors).toBe(authors);
    // Building reads every paper, then lets go what they decoded (PaperIndex).
    new PaperIndex(papers);
    expect(first.authors).not.toBe(authors);
    expect(papers.map(plainPaper)).toEqual([full, bare]);
  });

  it("round-trips the bundled corpus as the loader made it", async () => {
    const corpus = await loadCorpus(DATA_DIR);
    const path = snapshotPath();
    writeCorpusSnapshot(path, { ...sample(corpus.papers), problems: corpus.problems });
    const read = (await readCorpusSnapshot(path)) as CorpusSnapshot;
    expect(plainPapers(read.papers)).toEqual(corpus.papers);
    expect(read.papers.length).toBeGreaterThan(0);
    // Venues and authors, saved indexed by first name, as a context made from the papers finds them.
    const venues = [...new Set(corpus.papers.flatMap((paper) => (paper.venue ? [paper.venue] : [])))];
    const authors = [...new Set(corpus.papers.flatMap((paper) => paper.authors))];
    const saved = corpusNames.get(read.papers);
    const listed = listedNames(venues, authors);
    expect(saved?.venues).toEqual(venues);
    expect(authors.length).toBeGreaterThan(10);
    for (const word of [...authors.map(firstWordOf), "nobody", ""])
      expect(saved?.authorsStartingWith(word)).toEqual(listed.authorsStartingWith(word));
  });

  it("answers a snapshot of other inputs from its header alone", async () => {
    const path = snapshotPath();
    writeCorpusSnapshot(path, sample([full]));
    expect(plainPapers((await readCorpusSnapshot(path, "inputs"))?.papers ?? [])).toEqual([full]);
    // A damaged body goes unread when the fingerprint already says the snapshot is stale.
    const bytes = readFileSync(path);
    bytes[bytes.indexOf("Lovelace")] = "l".charCodeAt(0);
    writeFileSync(path, bytes);
    expect(await readCorpusSnapshot(path, "other inputs")).toBeUndefined();
    await expect(readCorpusSnapshot(path, "inputs")).rejects.toThrow(/damaged/);
  });

  it("refuses a snapshot with any byte changed outside the abstracts", async () => {
    const path = snapshotPath();
    writeCorpusSnapshot(path, sample([full, bare]));
    const bytes = readFileSync(path);
    const at = bytes.indexOf("Lovelace");
    bytes[at] = "l".charCodeAt(0);
    writeFileSync(path, bytes);
    await expect(readCorpusSnapshot(path)).rejects.toThrow(/damaged/);
  });

  it("reads abstracts only when asked, each checked: a damaged one fails and removes the snapshot", async () => {
    const path = snapshotPath();
    const second = { ...full, id: "2305.09089", abstract: "Another abstract, intact." };
    writeCorpusSnapshot(path, sample([full, second]));
    const bytes = readFileSync(path);
    bytes[bytes.indexOf("Hessian")] = "h".charCodeAt(0);
    writeFileSync(path, bytes);
    // The abstracts are not read at load: the damage shows only when that abstract is.
    const read = (await readCorpusSnapshot(path)) as CorpusSnapshot;
    expect(read.papers[1]?.abstract).toBe("Another abstract, intact.");
    expect(() => read.papers[0]?.abstract).toThrow(/snapshot .* is damaged .* rebuilt at the next start/);
    expect(existsSync(path)).toBe(false);
  });

  it("reads abstracts asked in order ahead, each still checked", async () => {
    const path = snapshotPath();
    const papers = ["First", "Second", "Third", "Fourth"].map((word, i) => ({
      ...bare,
      id: `2305.0909${i}`,
      abstract: `${word} abstract of the series.`,
    }));
    writeCorpusSnapshot(path, sample(papers));
    const intact = (await readCorpusSnapshot(path)) as CorpusSnapshot;
    expect(intact.papers.map((paper) => paper.abstract)).toEqual(papers.map((paper) => paper.abstract));
    expect(intact.papers[1]?.abstract).toBe("Second abstract of the series.");
    const bytes = readFileSync(path);
    bytes[bytes.indexOf("Third")] = "t".charCodeAt(0);
    writeFileSync(path, bytes);
    const read = (await readCorpusSnapshot(path)) as CorpusSnapshot;
    // The second read in order reads the rest ahead; the damaged third is caught from those bytes.
    expect(read.papers[0]?.abstract).toBe("First abstract of the series.");
    expect(read.papers[1]?.abstract).toBe("Second abstract of the series.");
    expect(() => read.papers[2]?.abstract).toThrow(/snapshot .* is damaged/);
  });

  it("keeps serving abstracts from a snapshot replaced on disk since", async () => {
    const path = snapshotPath();
    writeCorpusSnapshot(path, sample([full]));
    const read = (await readCorpusSnapshot(path)) as CorpusSnapshot;
    writeCorpusSnapshot(path, sample([{ ...full, abstract: "Rewritten." }]));
    expect(read.papers[0]?.abstract).toBe(full.abstract);
    expect((await readCorpusSnapshot(path))?.papers[0]?.abstract).toBe("Rewritten.");
  });

  it("refuses a truncated snapshot, another file, or another format version", async () => {
    const path = snapshotPath();
    writeCorpusSnapshot(path, sample([full]));
    const bytes = readFileSync(path);
    truncateSync(path, bytes.length - 5);
    await expect(readCorpusSnapshot(path)).rejects.toThrow(/truncated|damaged/);
    truncateSync(path, 10);
    await expect(readCorpusSnapshot(path)).rejects.toThrow(/truncated/);
    writeFileSync(path, "PBIX this is an index, not a snapshot");
    await expect(readCorpusSnapshot(path)).rejects.toThrow(/not a paperbot corpus snapshot/);
    bytes.writeUInt32LE(999, 4);
    writeFileSync(path, bytes);
    await expect(readCorpusSnapshot(path)).rejects.toThrow(/format 999/);
  });

  it("leaves no temporary file behind, and keeps the old snapshot when a write fails", async () => {
    const path = snapshotPath();
    writeCorpusSnapshot(path, sample([full]));
    expect(() => writeCorpusSnapshot(join(path, "under-a-file"), sample([bare]))).toThrow();
    expect(plainPapers((await readCorpusSnapshot(path))?.papers ?? [])).toEqual([full]);
    expect(readdirSync(dirname(path))).toEqual(["index.corpus"]);
  });
});
