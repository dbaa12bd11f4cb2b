import { appendFileSync, existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LiveCorpus } from "../../../src/core/corpus/live-corpus.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { dataFolder, textRecord } from "../../fixtures/corpus.ts";

function setup() {
  const folder = dataFolder({ "papers.txt": textRecord("2301.00001", "Sharpness aware minimization.") });
  const logs: string[] = [];
  return { folder, logs, logger: createLogger("info", (line) => logs.push(line)) };
}

describe("LiveCorpus", () => {
  it("logs the files it skipped under the data folder", async () => {
    const folder = dataFolder({ "papers.txt": textRecord("2301.00001", "Sharpness."), "notes.md": "x" });
    const logs: string[] = [];
    await LiveCorpus.open(folder, { logger: createLogger("info", (line) => logs.push(line)) });
    expect(logs.join("\n")).toMatch(
      /INFO not read under .*: .*notes\.md \(not a data file: \.txt, \.bib, \.json or \.tsv\) \(npx paperbot check lists everything skipped\)/,
    );
  });

  it("logs the first few problems of each file and a count, and keeps every one for check", async () => {
    const broken = Array.from({ length: 3000 }, (_, i) =>
      textRecord(`2302.${String(i).padStart(5, "0")}`, `Abstract ${i}.`, { created: "someday" }),
    ).join("\n");
    const folder = dataFolder({
      "papers.txt": textRecord("2301.00001", "Sharpness."),
      "broken.txt": broken,
      "bad.json": "[{}]",
    });
    const logs: string[] = [];
    const corpus = await LiveCorpus.open(folder, { logger: createLogger("info", (line) => logs.push(line)) });
    const dataLines = logs.filter((line) => line.includes("data: "));
    expect(corpus.currentProblems().length).toBeGreaterThanOrEqual(3001);
    expect(dataLines.filter((line) => /broken\.txt:\d+: /.test(line))).toHaveLength(3);
    expect(dataLines.join("\n")).toMatch(
      /broken\.txt: \d{3,} more problem\(s\) \(npx paperbot check lists every one\)/,
    );
    expect(dataLines.filter((line) => line.includes("bad.json"))).toHaveLength(1);
    expect(dataLines.length).toBeLessThanOrEqual(5);
  });

  it("picks up added papers on reload", async () => {
    const { folder, logger } = setup();
    const corpus = await LiveCorpus.open(folder, { logger });
    appendFileSync(join(folder, "papers.txt"), `\n${textRecord("2301.00002", "Cold posteriors revisited.")}`);
    expect(await corpus.reload()).toBe(true);
    expect(corpus.current().get("2301.00002")?.id).toBe("2301.00002");
  });

  it("keeps the last good corpus serving when a reload brings new problems, and logs why", async () => {
    const { folder, logger, logs } = setup();
    const corpus = await LiveCorpus.open(folder, { logger });
    const before = corpus.current();
    appendFileSync(join(folder, "papers.txt"), "\nHalf-pasted abstract with no id\n");
    expect(await corpus.reload()).toBe(false);
    expect(corpus.current()).toBe(before);
    expect(logs.join("\n")).toMatch(
      /reload of .* failed, still serving the last good 1 papers: .*papers\.txt:6/,
    );
  });

  it("keeps serving when the files vanish or empty out", async () => {
    const { folder, logger } = setup();
    const corpus = await LiveCorpus.open(folder, { logger });
    writeFileSync(join(folder, "papers.txt"), "");
    expect(await corpus.reload()).toBe(false);
    expect(corpus.current().size).toBe(1);
  });

  it("keeps serving when a reload finds a file too large to load, and names it in the log", async () => {
    const { folder, logger, logs } = setup();
    try {
      const corpus = await LiveCorpus.open(folder, { logger });
      const before = corpus.current();
      writeFileSync(join(folder, "huge.json"), "");
      truncateSync(join(folder, "huge.json"), 600 * 1024 * 1024); // sparse: no disk used
      expect(await corpus.reload()).toBe(false);
      expect(corpus.current()).toBe(before);
      expect(corpus.current().get("2301.00001")?.id).toBe("2301.00001");
      expect(logs.join("\n")).toMatch(
        /still serving the last good 1 papers: .*huge\.json:1: file is 600 MiB, over the 256 MiB limit/,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("starts serving the other files when a file is too large to load from the start", async () => {
    const { folder, logger, logs } = setup();
    try {
      writeFileSync(join(folder, "huge.json"), "");
      truncateSync(join(folder, "huge.json"), 600 * 1024 * 1024);
      const corpus = await LiveCorpus.open(folder, { logger });
      expect(corpus.current().size).toBe(1);
      expect(corpus.currentProblems().map((problem) => problem.file)).toEqual([
        expect.stringMatching(/huge\.json$/),
      ]);
      expect(logs.join("\n")).toMatch(/data: .*huge\.json:1: file is 600 MiB/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("reloads by itself when a watched file changes", async () => {
    const { folder, logger, logs } = setup();
    const corpus = await LiveCorpus.open(folder, { logger });
    corpus.watch();
    try {
      appendFileSync(
        join(folder, "papers.txt"),
        `\n${textRecord("2301.00003", "Lottery tickets everywhere.")}`,
      );
      await expect.poll(() => corpus.current().size, { timeout: 5000 }).toBe(2);
      expect(logs.join("\n")).toContain("reloaded 2 papers");
    } finally {
      corpus.close();
    }
  });

  describe("with an index cache", () => {
    const cachePath = () => join(mkdtempSync(join(tmpdir(), "paperbot-cache-")), "index");

    it("saves the index on the first start and reuses it on the next", async () => {
      const { folder, logger, logs } = setup();
      const indexCachePath = cachePath();
      await LiveCorpus.open(folder, { logger, indexCachePath });
      expect(existsSync(indexCachePath)).toBe(true);
      expect(logs.join("\n")).toContain("search index built (no saved index yet)");
      logs.length = 0;
      const again = await LiveCorpus.open(folder, { logger, indexCachePath });
      expect(logs.join("\n")).toContain(`search index reused from ${indexCachePath}`);
      expect(again.current().search("sharpness").hits[0]?.paper.id).toBe("2301.00001");
    });

    it("rebuilds when the papers changed, and answers from the new papers", async () => {
      const { folder, logger, logs } = setup();
      const indexCachePath = cachePath();
      await LiveCorpus.open(folder, { logger, indexCachePath });
      writeFileSync(join(folder, "papers.txt"), textRecord("2301.00001", "Lottery tickets everywhere."));
      logs.length = 0;
      const changed = await LiveCorpus.open(folder, { logger, indexCachePath });
      expect(logs.join("\n")).toContain("search index built (it was built from other papers)");
      expect(changed.current().search("lottery").hits[0]?.paper.id).toBe("2301.00001");
      expect(changed.current().search("sharpness").hits).toEqual([]);
    });

    it("rebuilds over a damaged file without failing, logging at info", async () => {
      const { folder, logs } = setup();
      const warnings: string[] = [];
      const logger = createLogger("info", (line) => (line.includes("WARN") ? warnings : logs).push(line));
      const indexCachePath = cachePath();
      writeFileSync(indexCachePath, "PBIX but not really an index");
      const corpus = await LiveCorpus.open(folder, { logger, indexCachePath });
      expect(logs.join("\n")).toMatch(/search index built \(it is unusable/);
      expect(warnings).toEqual([]);
      expect(corpus.current().search("sharpness").total).toBe(1);
    });

    it("never creates the index's folder: a missing one is a logged warning, and the papers still serve", async () => {
      const { folder, logs } = setup();
      const warnings: string[] = [];
      const logger = createLogger("info", (line) => (line.includes("WARN") ? warnings : logs).push(line));
      const missing = join(mkdtempSync(join(tmpdir(), "paperbot-cache-")), "missing");
      const corpus = await LiveCorpus.open(folder, { logger, indexCachePath: join(missing, "index") });
      expect(warnings.join("\n")).toMatch(/search index not saved to .*missing\/index.*ENOENT/);
      expect(existsSync(missing)).toBe(false);
      expect(corpus.current().search("sharpness").total).toBe(1);
    });

    it("keeps serving new papers when the index folder disappears while running", async () => {
      const { folder, logs } = setup();
      const warnings: string[] = [];
      const logger = createLogger("info", (line) => (line.includes("WARN") ? warnings : logs).push(line));
      const cacheFolder = mkdtempSync(join(tmpdir(), "paperbot-cache-"));
      const corpus = await LiveCorpus.open(folder, { logger, indexCachePath: join(cacheFolder, "index") });
      expect(warnings).toEqual([]);
      rmSync(cacheFolder, { recursive: true });
      appendFileSync(join(folder, "papers.txt"), `\n${textRecord("2301.00002", "Lottery tickets.")}`);
      expect(await corpus.reload()).toBe(true);
      expect(corpus.current().search("lottery").hits[0]?.paper.id).toBe("2301.00002");
      expect(warnings.join("\n")).toContain("search index not saved");
      expect(existsSync(cacheFolder)).toBe(false);
    });

    it("keeps serving when the index cannot be saved", async () => {
      const { folder, logger, logs } = setup();
      const blocker = join(mkdtempSync(join(tmpdir(), "paperbot-cache-")), "file");
      writeFileSync(blocker, "a file where a folder should be");
      const corpus = await LiveCorpus.open(folder, { logger, indexCachePath: join(blocker, "index") });
      expect(logs.join("\n")).toContain("search index not saved");
      expect(corpus.current().search("sharpness").total).toBe(1);
    });
  });
});
