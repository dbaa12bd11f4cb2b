import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/core/corpus/load-corpus.ts";
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

  it("fails clearly when the path does not exist", async () => {
    await expect(loadCorpus("/nonexistent/paperbot-data")).rejects.toThrow(/ENOENT/);
  });
});
