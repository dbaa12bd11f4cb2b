import { rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli.ts";
import { loadCorpus, MAX_DATA_FILE_BYTES } from "../../../src/core/corpus/load-corpus.ts";
import { DATA_DIR, dataFolder, textRecord } from "../../fixtures/corpus.ts";

const META_HEADER = "arxiv_id\ttitle\tauthors\tcategories\tvenue\n";

describe("loadCorpus", () => {
  it("loads the bundled data with the metadata overlay", async () => {
    const corpus = await loadCorpus(DATA_DIR);
    expect(corpus.problems).toEqual([]);
    expect(corpus.papers).toHaveLength(10);
    const hessian = corpus.papers.find((paper) => paper.id === "2305.09088");
    expect(hessian).toMatchObject({
      title: "The Hessian perspective into the Nature of Convolutional Neural Networks",
      titleDerived: false,
      authors: ["Sidak Pal Singh", "Thomas Hofmann", "Bernhard Schölkopf"],
      categories: ["cs.LG", "stat.ML"],
      venue: "ICML 2023",
      published: "2023-05-15",
    });
  });

  it("merges text, BibTeX and JSON records for the same id; versions collapse; metadata wins", async () => {
    const folder = dataFolder({
      "papers.txt": textRecord("2301.00001v1", "Old abstract about sharpness.", { created: "2023-01-05" }),
      "more/refs.bib": `@inproceedings{a2023,
  title = {Sharpness {Aware} Things},
  author = {Doe, Jane and Roe, Rick},
  booktitle = {ICML 2023},
  year = {2023}, month = jan,
  eprint = {2301.00001v2},
  abstract = {New abstract about \\textit{sharpness}.}
}
@article{b, title = {Only In Bib}, author = {Zed Zee}, journal = {arXiv preprint arXiv:2302.00002}, year = 2023}
`,
      "extra.json": JSON.stringify([
        {
          arxiv_id: "2303.00003",
          title: "From JSON",
          authors: ["Ann Lee"],
          abstract: "Json abstract.",
          published: "2023-03-03",
        },
      ]),
      "papers.meta.tsv": `${META_HEADER}2301.00001\tVerified Title\tJane Doe; Rick Roe\tcs.LG\tICML 2023 (Oral)\n`,
    });
    const corpus = await loadCorpus(folder);
    expect(corpus.problems).toEqual([]);
    const merged = corpus.papers.find((paper) => paper.id === "2301.00001");
    expect(merged).toMatchObject({
      version: 2,
      title: "Verified Title",
      abstract: "New abstract about \\textit{sharpness}.",
      venue: "ICML 2023 (Oral)",
      categories: ["cs.LG"],
      published: "2023-01-05",
    });
    expect(merged?.sources).toHaveLength(2);
    expect(corpus.papers.find((paper) => paper.id === "2302.00002")).toMatchObject({
      title: "Only In Bib",
      authors: ["Zed Zee"],
    });
    expect(corpus.papers.find((paper) => paper.id === "2303.00003")).toMatchObject({
      title: "From JSON",
      published: "2023-03-03",
    });
  });

  it("derives a display title from the abstract when a paper has none, and marks it", async () => {
    const folder = dataFolder({
      "p.txt": textRecord(
        "2301.00001",
        "We study cold posteriors in Bayesian deep learning. More follows here.",
      ),
    });
    const [paper] = (await loadCorpus(folder)).papers;
    expect(paper).toMatchObject({
      title: "We study cold posteriors in Bayesian deep learning.",
      titleDerived: true,
    });
  });

  it("reports duplicates with conflicting fields, naming both places, and keeps the first", async () => {
    const folder = dataFolder({
      "a.txt": `${textRecord("2301.00001", "First text.")}\n${textRecord("2301.00001", "Different text.")}`,
    });
    const corpus = await loadCorpus(folder);
    expect(corpus.papers).toHaveLength(1);
    expect(corpus.papers[0]?.abstract).toBe("First text.");
    expect(corpus.problems).toHaveLength(1);
    expect(corpus.problems[0]?.message).toMatch(
      /duplicate of 2301\.00001 \(first at .*a\.txt:1\) with a different abstract/,
    );
    expect(corpus.problems[0]?.line).toBe(6);
  });

  it("reports empty and binary files and still loads the others", async () => {
    const folder = dataFolder({
      "empty.txt": "",
      "blob.txt": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]),
      "good.txt": textRecord("2301.00001", "Fine."),
    });
    const corpus = await loadCorpus(folder);
    expect(corpus.papers.map((paper) => paper.id)).toEqual(["2301.00001"]);
    expect(
      corpus.problems.map((problem) => [problem.file.split("/").pop(), problem.line, problem.message]),
    ).toEqual([
      ["blob.txt", 1, expect.stringContaining("binary")],
      ["empty.txt", 1, "file is empty"],
    ]);
  });

  it("reports malformed BibTeX, JSON and metadata by line", async () => {
    const folder = dataFolder({
      "good.txt": textRecord("2301.00001", "Fine."),
      "bad.bib": "@article{x,\n  title = {No id here},\n  year = 2020\n}\n@article{y,\n  title = {Broken\n",
      "bad.json": '[\n  {"id": "2301.00001", "title": "ok"},\n  {"title": "no id"}\n]',
      "broken.json": '{\n  "papers": [\n    {"id": \n]',
      "papers.meta.tsv": `${META_HEADER}2301.00001\tT\tA\n9999\tT\tA\tc\tv\n2309.00009\tT\tA\tc\tv\n`,
    });
    const corpus = await loadCorpus(folder);
    const byFile = (name: string) =>
      corpus.problems.filter((problem) => problem.file.endsWith(name)).map((problem) => problem.line);
    expect(byFile("bad.bib")).toEqual([1, 6]);
    expect(byFile("bad.json")).toEqual([3]);
    expect(byFile("broken.json")).toHaveLength(1);
    expect(byFile("papers.meta.tsv")).toEqual([2, 3, 4]);
    expect(corpus.papers.map((paper) => paper.id)).toEqual(["2301.00001"]);
  });

  describe("a data file too large to load", () => {
    /** papers.txt beside a sparse 600 MiB huge.json: no disk is used, and it is never read. */
    function withHugeFile(): string {
      const folder = dataFolder({ "papers.txt": textRecord("2301.00001", "Fine.") });
      writeFileSync(join(folder, "huge.json"), "");
      truncateSync(join(folder, "huge.json"), 600 * 1024 * 1024);
      return folder;
    }

    it("is a named problem giving its size, the limit and what to do; the other files still load", async () => {
      const folder = withHugeFile();
      try {
        const corpus = await loadCorpus(folder);
        expect(corpus.papers.map((paper) => paper.id)).toEqual(["2301.00001"]);
        expect(corpus.problems).toEqual([
          {
            file: expect.stringMatching(/huge\.json$/),
            line: 1,
            message: expect.stringMatching(/600 MiB.*over the 256 MiB limit.*split it/),
          },
        ]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it("is listed by `paperbot check`, which exits 1 and counts the papers that loaded", async () => {
      const folder = withHugeFile();
      try {
        const stdout: string[] = [];
        const code = await runCli(
          ["check", folder],
          { stdout: (text) => stdout.push(text), stderr: (text) => stdout.push(text) },
          {},
        );
        expect(code).toBe(1);
        expect(stdout.join("\n")).toMatch(/huge\.json:1: file is 600 MiB, over the 256 MiB limit/);
        expect(stdout.join("\n")).toContain("1 problem(s); 1 papers from 2 file(s)");
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it("leaves room for the benchmark's 100,000-paper papers.txt (126 MiB) and stays far below V8's string cap", () => {
      expect(MAX_DATA_FILE_BYTES).toBeGreaterThanOrEqual(2 * 126 * 1024 * 1024);
      // V8 strings hold at most 2^29 - 24 UTF-16 units; UTF-8 never decodes to more units than bytes.
      expect(MAX_DATA_FILE_BYTES).toBeLessThanOrEqual(2 ** 29 / 2);
    });
  });

  describe("what a folder holds besides data files", () => {
    it("reads only .txt, .bib, .json and .tsv, and reports every other file as skipped", async () => {
      const folder = dataFolder({
        "papers.txt": textRecord("2301.00001", "Sharpness."),
        "notes.md": textRecord("2301.00002", "In a markdown file."),
        "sub/scan.PDF": "%PDF-1.4",
        "sub/papers.TXT": textRecord("2301.00003", "Upper-case extension."),
        README: "no extension",
      });
      const corpus = await loadCorpus(folder);
      expect(corpus.files.map((file) => file.slice(folder.length + 1))).toEqual([
        "papers.txt",
        "sub/papers.TXT",
      ]);
      expect(corpus.papers.map((paper) => paper.id).sort()).toEqual(["2301.00001", "2301.00003"]);
      expect(corpus.problems).toEqual([]);
      expect(corpus.skipped.map(({ file, reason }) => [file.slice(folder.length + 1), reason])).toEqual([
        ["README", "not a data file: .txt, .bib, .json or .tsv"],
        ["notes.md", "not a data file: .txt, .bib, .json or .tsv"],
        ["sub/scan.PDF", "not a data file: .txt, .bib, .json or .tsv"],
      ]);
    });

    it("skips hidden files, and hidden folders whole (named once, not read)", async () => {
      const folder = dataFolder({
        "papers.txt": textRecord("2301.00001", "Sharpness."),
        ".draft.txt": textRecord("2301.00002", "Hidden draft."),
        ".git/objects/a.txt": textRecord("2301.00003", "Inside a hidden folder."),
        ".git/HEAD": "ref: refs/heads/main\n",
      });
      const corpus = await loadCorpus(folder);
      expect(corpus.papers.map((paper) => paper.id)).toEqual(["2301.00001"]);
      expect(corpus.skipped.map(({ file, reason }) => [file.slice(folder.length + 1), reason])).toEqual([
        [".draft.txt", "hidden file"],
        [".git/", "hidden folder"],
      ]);
    });

    it("reads a link to a data file, and reports links to folders (not followed) and to nothing", async () => {
      const elsewhere = dataFolder({ "linked.txt": textRecord("2301.00009", "Linked in.") });
      const folder = dataFolder({ "papers.txt": textRecord("2301.00001", "Sharpness.") });
      symlinkSync(join(elsewhere, "linked.txt"), join(folder, "linked.txt"));
      symlinkSync(elsewhere, join(folder, "more"));
      symlinkSync(join(elsewhere, "gone.txt"), join(folder, "gone.txt"));
      const corpus = await loadCorpus(folder);
      expect(corpus.papers.map((paper) => paper.id).sort()).toEqual(["2301.00001", "2301.00009"]);
      expect(corpus.skipped.map(({ file, reason }) => [file.slice(folder.length + 1), reason])).toEqual([
        ["gone.txt", "a link to nothing"],
        ["more/", "a link to a folder, not followed"],
      ]);
    });

    it("reads a file given as the path whatever its name, skipping nothing", async () => {
      const folder = dataFolder({ "papers.md": textRecord("2301.00001", "Named oddly.") });
      const corpus = await loadCorpus(join(folder, "papers.md"));
      expect(corpus.papers.map((paper) => paper.id)).toEqual(["2301.00001"]);
      expect(corpus.skipped).toEqual([]);
    });

    it("skips nothing in the bundled data", async () => {
      expect((await loadCorpus(DATA_DIR)).skipped).toEqual([]);
    });
  });

  it("fails clearly when the path does not exist", async () => {
    await expect(loadCorpus("/nonexistent/paperbot-data")).rejects.toThrow(/ENOENT/);
  });
});
