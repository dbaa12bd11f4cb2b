import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli.ts";
import { loadCachedCorpus } from "../../../src/core/corpus/corpus-cache.ts";
import { LiveCorpus } from "../../../src/core/corpus/live-corpus.ts";
import { loadCorpus } from "../../../src/core/corpus/load-corpus.ts";
import type { PaperRecord } from "../../../src/core/corpus/record.ts";
import {
  type CorpusSnapshot,
  readCorpusSnapshot,
  writeCorpusSnapshot,
} from "../../../src/core/corpus/snapshot-format.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { papersFingerprint } from "../../../src/core/search/paper-source.ts";
import { dataFolder, plainPaper, plainPapers, textRecord } from "../../fixtures/corpus.ts";

const cacheFolder = () => mkdtempSync(join(tmpdir(), "paperbot-cache-"));

function twoPapers() {
  return dataFolder({
    "papers.txt": `${textRecord("2301.00001", "Sharpness aware minimization.")}\n${textRecord("2301.00002", "Cold posteriors revisited.")}`,
    "broken.txt": "An abstract with no id at all\n",
    "notes.md": "not data",
  });
}

const fetched: PaperRecord = {
  id: "2401.00003",
  title: "Lottery tickets from arXiv",
  abstract: "Winning tickets.",
  fetched: true,
  source: { file: "arXiv", line: 1 },
};

describe("loadCachedCorpus", () => {
  it("parses and saves on the first load, then reads the same corpus from the snapshot", async () => {
    const folder = twoPapers();
    const snapshot = join(cacheFolder(), "index.corpus");
    const first = await loadCachedCorpus(folder, [], snapshot);
    expect(first.snapshot).toMatchObject({ reused: false, reason: "no snapshot yet" });
    expect(existsSync(snapshot)).toBe(true);
    const again = await loadCachedCorpus(folder, [], snapshot);
    expect(again.snapshot.reused).toBe(true);
    const parsed = await loadCorpus(folder);
    expect(plainPapers(again.papers)).toEqual(parsed.papers);
    expect(again.problems).toEqual(parsed.problems);
    expect(again.problems.length).toBeGreaterThan(0);
    expect(again.files).toEqual(parsed.files);
    expect(again.skipped).toEqual(parsed.skipped);
    expect(again.papersFingerprint).toBe(papersFingerprint(parsed.papers));
  });

  it("rebuilds when a data file changes, even to the same size", async () => {
    const folder = twoPapers();
    const snapshot = join(cacheFolder(), "index.corpus");
    await loadCachedCorpus(folder, [], snapshot);
    const file = join(folder, "papers.txt");
    writeFileSync(file, readFileSync(file, "utf8").replace("Sharpness", "Flatnesss"));
    const changed = await loadCachedCorpus(folder, [], snapshot);
    expect(changed.snapshot).toMatchObject({
      reused: false,
      reason: "the data files or the papers added from arXiv changed",
    });
    expect(changed.papers.find((paper) => paper.id === "2301.00001")?.abstract).toContain("Flatnesss");
    expect((await loadCachedCorpus(folder, [], snapshot)).snapshot.reused).toBe(true);
  });

  it("rebuilds when a data file is added or removed", async () => {
    const folder = twoPapers();
    const snapshot = join(cacheFolder(), "index.corpus");
    await loadCachedCorpus(folder, [], snapshot);
    writeFileSync(join(folder, "more.txt"), textRecord("2301.00009", "Grokking."));
    const added = await loadCachedCorpus(folder, [], snapshot);
    expect(added.snapshot.reused).toBe(false);
    expect(added.papers.map((paper) => paper.id)).toContain("2301.00009");
  });

  it("rebuilds when the papers added from arXiv change", async () => {
    const folder = twoPapers();
    const snapshot = join(cacheFolder(), "index.corpus");
    await loadCachedCorpus(folder, [], snapshot);
    const withFetched = await loadCachedCorpus(folder, [fetched], snapshot);
    expect(withFetched.snapshot).toMatchObject({
      reused: false,
      reason: "the data files or the papers added from arXiv changed",
    });
    expect(withFetched.papers.map((paper) => paper.id)).toContain("2401.00003");
    const retitled = await loadCachedCorpus(folder, [{ ...fetched, title: "Retitled" }], snapshot);
    expect(retitled.snapshot.reused).toBe(false);
    expect(retitled.papers.find((paper) => paper.id === "2401.00003")?.title).toBe("Retitled");
  });

  it("rebuilds over a damaged snapshot and saves a good one", async () => {
    const folder = twoPapers();
    const snapshot = join(cacheFolder(), "index.corpus");
    await loadCachedCorpus(folder, [], snapshot);
    const bytes = readFileSync(snapshot);
    const at = bytes.indexOf("Cold posteriors");
    bytes[at] = (bytes[at] as number) ^ 0x20;
    writeFileSync(snapshot, bytes);
    const repaired = await loadCachedCorpus(folder, [], snapshot);
    expect(repaired.snapshot).toMatchObject({ reused: false });
    expect(repaired.snapshot.reason).toMatch(/it is unusable \(snapshot is damaged/);
    expect(plainPapers(repaired.papers)).toEqual((await loadCorpus(folder)).papers);
    expect((await loadCachedCorpus(folder, [], snapshot)).snapshot.reused).toBe(true);
  });

  it("still loads when the snapshot cannot be saved, and says why", async () => {
    const folder = twoPapers();
    const blocker = join(cacheFolder(), "file");
    writeFileSync(blocker, "a file where a folder should be");
    const corpus = await loadCachedCorpus(folder, [], join(blocker, "index.corpus"));
    expect(corpus.papers).toHaveLength(2);
    expect(corpus.snapshot.saveError).toMatch(/ENOTDIR/);
  });
});

/** Replaces the snapshot's papers while keeping its fingerprint: what a start reads then shows it used the snapshot. */
async function plantSnapshot(path: string, title: string): Promise<void> {
  const saved = (await readCorpusSnapshot(path)) as CorpusSnapshot;
  writeCorpusSnapshot(path, {
    ...saved,
    papers: saved.papers.map((paper) => ({ ...plainPaper(paper), title })),
  });
}

describe("LiveCorpus with a corpus snapshot", () => {
  function logged() {
    const logs: string[] = [];
    return { logs, logger: createLogger("info", (line) => logs.push(line)) };
  }

  it("restarts from the snapshot beside the index, logging the same data problems", async () => {
    const folder = twoPapers();
    const indexCachePath = join(cacheFolder(), "index");
    const first = logged();
    await LiveCorpus.open(folder, { logger: first.logger, indexCachePath });
    expect(first.logs.join("\n")).toMatch(
      /papers parsed in .* \(corpus snapshot not used: no snapshot yet\)/,
    );
    expect(existsSync(`${indexCachePath}.corpus`)).toBe(true);
    await plantSnapshot(`${indexCachePath}.corpus`, "From the snapshot");
    const second = logged();
    const corpus = await LiveCorpus.open(folder, { logger: second.logger, indexCachePath });
    expect(second.logs.join("\n")).toContain(`papers read from the snapshot ${indexCachePath}.corpus`);
    expect(corpus.current().get("2301.00001")?.title).toBe("From the snapshot");
    const dataLines = (logs: string[]) =>
      logs
        .filter((line) => /data: |not read under|loaded \d+/.test(line))
        .map((line) => line.replace(/^\S+ /, ""));
    expect(dataLines(second.logs)).toEqual(dataLines(first.logs));
    expect(dataLines(second.logs).join("\n")).toMatch(/data: .*broken\.txt:1/);
    expect(corpus.currentProblems()).toEqual((await loadCorpus(folder)).problems);
  });

  it("keeps the last good corpus on a broken edit, and the next start parses the edited files", async () => {
    const folder = twoPapers();
    const indexCachePath = join(cacheFolder(), "index");
    const { logger, logs } = logged();
    const corpus = await LiveCorpus.open(folder, { logger, indexCachePath });
    const before = corpus.current();
    appendFileSync(join(folder, "papers.txt"), "\nHalf-pasted abstract with no id\n");
    expect(await corpus.reload()).toBe(false);
    expect(corpus.current()).toBe(before);
    expect(logs.join("\n")).toMatch(/reload of .* failed, still serving the last good 2 papers/);
    const restarted = logged();
    const again = await LiveCorpus.open(folder, { logger: restarted.logger, indexCachePath });
    expect(restarted.logs.join("\n")).toMatch(/papers read from the snapshot/);
    expect(again.currentProblems()).toEqual((await loadCorpus(folder)).problems);
  });

  it("reloads a good edit from the files, not the old snapshot", async () => {
    const folder = twoPapers();
    const indexCachePath = join(cacheFolder(), "index");
    const { logger } = logged();
    const corpus = await LiveCorpus.open(folder, { logger, indexCachePath });
    appendFileSync(
      join(folder, "papers.txt"),
      `\n${textRecord("2301.00004", "Lottery tickets everywhere.")}`,
    );
    expect(await corpus.reload()).toBe(true);
    expect(corpus.current().search("lottery").hits[0]?.paper.id).toBe("2301.00004");
  });

  it("leaves `paperbot check` parsing the files, never the snapshot", async () => {
    const folder = twoPapers();
    const state = cacheFolder();
    const indexCachePath = join(state, "index");
    await LiveCorpus.open(folder, { logger: logged().logger, indexCachePath });
    await plantSnapshot(`${indexCachePath}.corpus`, "From the snapshot");
    // A snapshot with no problems in it, under the same fingerprint: check must still find the broken file.
    const saved = (await readCorpusSnapshot(`${indexCachePath}.corpus`)) as CorpusSnapshot;
    writeCorpusSnapshot(`${indexCachePath}.corpus`, { ...saved, problems: [] });
    const out: string[] = [];
    const code = await runCli(
      ["check"],
      { stdout: (text) => out.push(text), stderr: (text) => out.push(text) },
      { PAPERS_PATH: folder, DATABASE_PATH: join(state, "state.db"), INDEX_CACHE_PATH: indexCachePath },
    );
    expect(code).toBe(1);
    expect(out.join("\n")).toMatch(/broken\.txt:1: /);
    expect(out.join("\n")).toContain("1 problem(s); 2 papers");
  });
});
