import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTextFormat } from "../../../src/core/corpus/parse-text.ts";
import { DATA_DIR, textRecord } from "../../fixtures/corpus.ts";

describe("parseTextFormat on the bundled papers.txt", () => {
  const content = readFileSync(join(DATA_DIR, "papers.txt"), "utf8");
  const { records, problems } = parseTextFormat(content, "data/papers.txt");

  it("reads every record with no problems", () => {
    expect(problems).toEqual([]);
    expect(records.map((record) => record.id)).toEqual([
      "2305.09088",
      "2304.06061",
      "2303.09483",
      "2302.12091",
      "2211.12346",
      "2210.14019",
      "2210.12084",
      "2210.00828",
      "2207.12319",
      "2205.13900",
    ]);
    expect(records.every((record) => record.published && /^\d{4}-\d{2}-\d{2}$/.test(record.published))).toBe(
      true,
    );
  });

  it("takes venue and code URL from the comment lines", () => {
    const clip = records.find((record) => record.id === "2304.06061");
    expect(clip?.venue).toBe("CVPRW 2023");
    expect(clip?.codeUrl).toBe("https://github.com/AlexDelitzas/3D-VQA");
    expect(clip?.abstract).not.toContain("Code will be made");
    expect(records.find((record) => record.id === "2305.09088")?.venue).toBe("ICML 2023");
  });

  it("points each record at the line where its abstract starts", () => {
    expect(records[0]?.source).toEqual({ file: "data/papers.txt", line: 1 });
    const line = content.split("\n").findIndex((text) => text.startsWith("Training models to apply")) + 1;
    expect(records[1]?.source.line).toBe(line);
  });
});

describe("parseTextFormat on messy input", () => {
  it("keeps several abstract paragraphs and separates short comment lines", () => {
    const text = `First paragraph of a long abstract that goes on about neural networks and their training dynamics in detail.\n\nSecond paragraph continues the abstract with many more words about the experiments we ran on several datasets.\n\n12 pages, 5 figures\nAccepted at NeurIPS 2023\n\narXiv:2301.00001v2\nCreated: 2023-01-01\n`;
    const { records, problems } = parseTextFormat(text, "x.txt");
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({
      id: "2301.00001",
      version: 2,
      venue: "NeurIPS 2023",
      comments: ["12 pages, 5 figures", "Accepted at NeurIPS 2023"],
    });
    expect(records[0]?.abstract?.split("\n\n")).toHaveLength(2);
  });

  it("accepts Windows line endings, a byte-order mark and extra blank lines", () => {
    const text = `\uFEFF\r\n\r\nAn abstract about hessians.\r\n\r\n\r\narXiv:2301.00002\r\nCreated: 2023-02-03\r\n\r\n`;
    const { records, problems } = parseTextFormat(text, "x.txt");
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({
      id: "2301.00002",
      published: "2023-02-03",
      abstract: "An abstract about hessians.",
    });
  });

  it("reports a record without an arXiv id by file and line, and loads the rest", () => {
    const text = `${textRecord("2301.00001", "Good one.")}\nAn orphan abstract with no id.\nCreated: 2023-01-01\n\n${textRecord("2301.00003", "Another good one.")}`;
    const { records, problems } = parseTextFormat(text, "papers.txt");
    expect(records.map((record) => record.id)).toEqual(["2301.00001", "2301.00003"]);
    expect(problems).toEqual([
      { file: "papers.txt", line: 7, message: expect.stringContaining("no arXiv id") },
    ]);
  });

  it("reports trailing text that never got an id", () => {
    const { problems } = parseTextFormat(
      `${textRecord("2301.00001", "Good.")}\nHalf-pasted abstract\n`,
      "p.txt",
    );
    expect(problems).toEqual([{ file: "p.txt", line: 6, message: expect.stringContaining("no arXiv id") }]);
  });

  it("reports a bad date by line and keeps the paper without a date", () => {
    const { records, problems } = parseTextFormat(
      textRecord("2301.00001", "Abstract.", { created: "2023-13-45" }),
      "p.txt",
    );
    expect(records[0]?.published).toBeUndefined();
    expect(problems).toEqual([
      { file: "p.txt", line: 4, message: expect.stringContaining('bad date "2023-13-45"') },
    ]);
  });

  it("reports an invalid id line and a missing Created line", () => {
    const { records, problems } = parseTextFormat(
      "Abstract.\n\narXiv:not-an-id\nCreated: 2023-01-01\n\nOther.\n\narXiv:2301.00009\n",
      "p.txt",
    );
    expect(records.map((record) => record.id)).toEqual(["2301.00009"]);
    expect(problems.map((problem) => problem.line)).toEqual([3, 4, 6]);
  });
});
