import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { LiveCorpus, type LiveCorpusOptions } from "../../../src/core/corpus/live-corpus.ts";
import type { PaperRecord } from "../../../src/core/corpus/record.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { dataFolder, textRecord } from "../../fixtures/corpus.ts";

const FALLBACK = /the reload worker failed/;

function setup(
  files: Record<string, string> = { "papers.txt": textRecord("2301.00001", "Sharpness aware minimization.") },
) {
  const folder = dataFolder(files);
  const logs: string[] = [];
  const indexCachePath = join(mkdtempSync(join(tmpdir(), "paperbot-cache-")), "index");
  const options: LiveCorpusOptions = {
    logger: createLogger("info", (line) => logs.push(line)),
    indexCachePath,
  };
  return { folder, logs, options };
}

const added = (id: string, abstract: string) => `\n${textRecord(id, abstract)}`;

/** The longest wait of a 5 ms timer while `work` runs: how long the event loop was held. */
async function worstGap(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  try {
    await work();
    worst = Math.max(worst, performance.now() - last);
  } finally {
    clearInterval(probe);
  }
  return worst;
}

describe("LiveCorpus reloads in a worker thread", () => {
  it("picks up an added paper, searchable through the index the worker built", async () => {
    const { folder, logs, options } = setup();
    const corpus = await LiveCorpus.open(folder, options);
    appendFileSync(join(folder, "papers.txt"), added("2301.00002", "Cold posteriors revisited."));
    logs.length = 0;
    expect(await corpus.reload()).toBe(true);
    expect(corpus.current().search("posteriors").hits[0]?.paper.id).toBe("2301.00002");
    expect(corpus.current().size).toBe(2);
    const log = logs.join("\n");
    expect(log).not.toMatch(FALLBACK);
    // The same lines as a reload on the main thread.
    expect(log).toMatch(/papers parsed in .* \(corpus snapshot not used: the data files/);
    expect(log).toContain("search index built (it was built from other papers)");
    expect(log).toContain(`reloaded 2 papers from ${folder}`);
  });

  it("keeps the last good corpus on a broken edit, and logs why", async () => {
    const { folder, logs, options } = setup();
    const corpus = await LiveCorpus.open(folder, options);
    const before = corpus.current();
    appendFileSync(join(folder, "papers.txt"), "\nHalf-pasted abstract with no id\n");
    expect(await corpus.reload()).toBe(false);
    expect(corpus.current()).toBe(before);
    const log = logs.join("\n");
    expect(log).not.toMatch(FALLBACK);
    expect(log).toMatch(/reload of .* failed, still serving the last good 1 papers: .*papers\.txt:6/);
  });

  it("keeps the last good corpus when the path is gone", async () => {
    const { folder, logs, options } = setup();
    const corpus = await LiveCorpus.open(folder, options);
    rmSync(folder, { recursive: true });
    expect(await corpus.reload()).toBe(false);
    expect(corpus.current().size).toBe(1);
    expect(logs.join("\n")).not.toMatch(FALLBACK);
    expect(logs.join("\n")).toMatch(/still serving the last good 1 papers/);
  });

  it("sends papers from arXiv (read on the main thread) to the worker", async () => {
    const { folder, options } = setup();
    const arxiv: PaperRecord[] = [
      {
        id: "2402.00003",
        title: "Followed on arXiv",
        abstract: "Diffusion for proteins.",
        source: { file: "arxiv", line: 1 },
      },
    ];
    const corpus = await LiveCorpus.open(folder, { ...options, extraRecords: async () => [...arxiv] });
    arxiv.push({
      id: "2402.00004",
      title: "Another one",
      abstract: "Lottery tickets.",
      source: { file: "arxiv", line: 2 },
    });
    expect(await corpus.reload()).toBe(true);
    expect(corpus.current().get("2402.00004")?.title).toBe("Another one");
  });

  it("keeps the event loop answering while a reload builds", async () => {
    const papers = Array.from({ length: 4000 }, (_, i) =>
      textRecord(
        `2303.${String(i).padStart(5, "0")}`,
        `Paper ${i} studies ${["sharpness", "posteriors", "diffusion", "lottery"][i % 4]} in model ${i * 7} with care.`,
      ),
    ).join("\n");
    const { folder, options } = setup({ "papers.txt": papers });
    const onMain = await LiveCorpus.open(folder, { ...options, reloadWorker: false });
    const inWorker = await LiveCorpus.open(folder, options);
    appendFileSync(join(folder, "papers.txt"), added("2303.99999", "One more paper."));
    const mainGap = await worstGap(() => onMain.reload());
    appendFileSync(join(folder, "papers.txt"), added("2303.99998", "And another."));
    const workerGap = await worstGap(() => inWorker.reload());
    expect(onMain.current().size).toBe(4001);
    expect(inWorker.current().size).toBe(4002);
    // Relative, not absolute: the worker's stall is a small part of the main thread's build.
    expect(workerGap).toBeLessThan(mainGap / 3);
  });

  describe("when the worker breaks", () => {
    it("reloads on the main thread once, saying why", async () => {
      const { folder, logs, options } = setup();
      const reloadWorker = new URL("./fixtures/crashing-worker.mjs", import.meta.url);
      const corpus = await LiveCorpus.open(folder, { ...options, reloadWorker });
      appendFileSync(join(folder, "papers.txt"), added("2301.00002", "Cold posteriors revisited."));
      expect(await corpus.reload()).toBe(true);
      expect(corpus.current().search("posteriors").hits[0]?.paper.id).toBe("2301.00002");
      const log = logs.join("\n");
      expect(log).toMatch(
        /WARN the reload worker failed \(worker boom\); reloading on the main thread instead/,
      );
      expect(log.match(FALLBACK)).toHaveLength(1);
      expect(log).toContain("reloaded 2 papers");
    });

    it("reloads on the main thread when the worker cannot be found", async () => {
      const { folder, logs, options } = setup();
      const reloadWorker = new URL("./fixtures/no-such-worker.mjs", import.meta.url);
      const corpus = await LiveCorpus.open(folder, { ...options, reloadWorker });
      appendFileSync(join(folder, "papers.txt"), added("2301.00002", "Cold posteriors revisited."));
      expect(await corpus.reload()).toBe(true);
      expect(corpus.current().size).toBe(2);
      expect(logs.join("\n")).toMatch(FALLBACK);
    });
  });

  it("stops a running reload on close, without reloading on the main thread", async () => {
    const { folder, logs, options } = setup();
    const corpus = await LiveCorpus.open(folder, options);
    const before = corpus.current();
    appendFileSync(join(folder, "papers.txt"), added("2301.00002", "Cold posteriors revisited."));
    const reloading = corpus.reload();
    await new Promise((resolve) => setImmediate(resolve));
    corpus.close();
    expect(await reloading).toBe(false);
    expect(corpus.current()).toBe(before);
    expect(logs.join("\n")).not.toMatch(/the reload worker failed|reload of .* failed|reloaded/);
  });
});
