/**
 * One engine, one corpus size, one process: loads the corpus through paperbot's loader, builds
 * (or reloads) the engine, runs the queries and prints one `RESULT {json}` line. Run by run.ts,
 * so each engine's heap and garbage stay its own.
 *
 *   node --expose-gc --import tsx bench/child.ts <engine> <corpusDir> <indexPath> [maxQueries]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { loadCachedCorpus, snapshotPathFor } from "../src/core/corpus/corpus-cache.ts";
import { LiveCorpus } from "../src/core/corpus/live-corpus.ts";
import { loadCorpus } from "../src/core/corpus/load-corpus.ts";
import { createLogger } from "../src/core/logger.ts";
import { PaperIndex } from "../src/core/paper-index.ts";
import type { SearchEngine } from "../src/core/search/engine.ts";
import { paperDocument } from "../src/core/search/paper-source.ts";
import { createPersistentPaperEngine, type IndexCacheOutcome } from "../src/core/search/persist.ts";
import type { BenchQuery } from "./corpus.ts";
import type { EngineName, SearchFn } from "./peers.ts";
import { NEGATIVES, PARAPHRASES } from "./relevance-queries.ts";

export interface ChildResult {
  engine: EngineName;
  size: number;
  /**
   * Reading, parsing and merging the corpus files; for paperbot-reload, reading the corpus
   * snapshot instead (as the app restarts), unless `snapshotReused` is false.
   */
  loadCorpusMs: number;
  /** paperbot engines: whether the corpus came from the snapshot beside the index. */
  snapshotReused?: boolean;
  /** paperbot: writing the snapshot after parsing (not in loadCorpusMs). */
  snapshotSaveMs?: number;
  /** Making the plain-text documents (LaTeX clean-up) up front: the other engines (paperbot makes each as it indexes it, in buildMs). */
  documentsMs?: number;
  buildMs?: number;
  reloadMs?: number;
  saveMs?: number;
  coldStartMs?: number;
  queries: number;
  medianMs: number;
  p99Ms: number;
  /** The same queries asked a second time (see main). */
  againMedianMs: number;
  againP99Ms: number;
  exactMedianMs: number;
  typoMedianMs: number;
  /** `ask` through PaperIndex (words and meaning, answer sentences included); paperbot only. */
  askQueries?: number;
  askMedianMs?: number;
  askP99Ms?: number;
  /** Process start to the first `ask` answered (after the first search). */
  firstAskMs?: number;
  recallExact: number;
  recallTypo: number;
  /** Post-GC heap plus memory outside it (typed arrays, external strings), corpus included. */
  heapMb: number;
  /** The same, minus what the loaded corpus alone took (for other engines: and their documents). */
  engineHeapMb: number;
  /**
   * Resident memory after GC at the end: unlike `heapMb`, it leaves out the parts of a saved
   * index reserved in memory but not read yet (paperbot-reload opens the index from disk).
   */
  residentMb: number;
  peakRssMb: number;
  /** paperbot-reload: the one-shot CLI from process start to its first answer (median of 3; run.ts). */
  cliStartMs?: number;
  /**
   * paperbot (fresh build) only: the event loop's delay while a reload parses and builds everything
   * again (nothing saved matches, as after an edit) and a search runs every 5 ms; on the main thread
   * (before) and through the reload worker (after).
   */
  reloadStall?: { main: ReloadStall; worker: ReloadStall };
}

export interface ReloadStall {
  /** The reload, start to swap. */
  reloadMs: number;
  /** Event-loop delay (monitorEventLoopDelay, 5 ms resolution): median, p99 and worst. */
  delayMedianMs: number;
  delayP99Ms: number;
  delayWorstMs: number;
  /** The longest time between two searches meant to run 5 ms apart: what a user waits at worst. */
  worstGapMs: number;
  /** Searches answered during the reload. */
  searches: number;
}

/** Above this the reload is not measured: two more corpora in memory at a million papers is too many. */
const RELOAD_STALL_MAX_PAPERS = 100_000;

/** One reload of `corpus` with everything saved removed, measured as ReloadStall. */
async function measureReload(corpus: LiveCorpus, indexPath: string, texts: string[]): Promise<ReloadStall> {
  rmSync(indexPath, { force: true });
  rmSync(snapshotPathFor(indexPath), { force: true });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let searches = 0;
  let last = performance.now();
  let worstGap = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
    corpus.current().search(texts[searches % texts.length] as string, { limit: 5 });
    searches++;
  }, 5);
  delay.enable();
  const r0 = performance.now();
  const reloaded = await corpus.reload();
  const reloadMs = performance.now() - r0;
  // The swap itself is the reload's last step: let the probe see the event loop after it.
  await new Promise((resolve) => setTimeout(resolve, 100));
  delay.disable();
  clearInterval(probe);
  if (!reloaded) throw new Error("the measured reload failed");
  return {
    reloadMs,
    delayMedianMs: delay.percentile(50) / 1e6,
    delayP99Ms: delay.percentile(99) / 1e6,
    delayWorstMs: delay.max / 1e6,
    worstGapMs: worstGap,
    searches,
  };
}

/** Before and after: a reload on the main thread, then one in the reload worker, as LiveCorpus runs them. */
async function reloadStalls(corpusDir: string, texts: string[]): Promise<ChildResult["reloadStall"]> {
  const dir = mkdtempSync(join(tmpdir(), "paperbot-bench-reload-"));
  const indexCachePath = join(dir, "index");
  const logs: string[] = [];
  const logger = createLogger("info", (line) => logs.push(line));
  // Each corpus is opened, measured and closed on its own, so the second does not pay for the first's garbage.
  const measure = async (reloadWorker?: false) => {
    const corpus = await LiveCorpus.open(corpusDir, { logger, indexCachePath, reloadWorker });
    (globalThis as { gc?: () => void }).gc?.();
    const stall = await measureReload(corpus, indexCachePath, texts);
    corpus.close();
    return stall;
  };
  try {
    const main = await measure(false);
    const worker = await measure();
    const fellBack = logs.find((line) => line.includes("the reload worker failed"));
    if (fellBack) throw new Error(fellBack);
    return { main, worker };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

function gcHeapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  // `external` holds the ArrayBuffers and also the large strings a corpus snapshot decodes outside the heap.
  return (usage.heapUsed + usage.external) / 2 ** 20;
}

async function main(): Promise<void> {
  const [engine, corpusDir, indexPath, maxArg] = process.argv.slice(2) as [
    EngineName,
    string,
    string,
    string?,
  ];
  const queries = (JSON.parse(readFileSync(join(corpusDir, "queries.json"), "utf8")) as BenchQuery[]).slice(
    0,
    maxArg ? Number(maxArg) : undefined,
  );
  let measuringMs = 0;
  const measureHeap = () => {
    const g0 = performance.now();
    const mb = gcHeapMb();
    measuringMs += performance.now() - g0;
    return mb;
  };
  const paperbot = engine === "paperbot" || engine === "paperbot-reload";
  const snapshotPath = snapshotPathFor(indexPath);
  if (engine === "paperbot") {
    rmSync(indexPath, { force: true });
    rmSync(snapshotPath, { force: true });
  }
  const t0 = performance.now();
  // paperbot loads as the app does with INDEX_CACHE_PATH: through the corpus snapshot beside the index.
  const cached = paperbot ? await loadCachedCorpus(corpusDir, [], snapshotPath) : undefined;
  const { papers } = cached ?? (await loadCorpus(corpusDir));
  const result: Partial<ChildResult> = { engine, size: papers.length, loadCorpusMs: performance.now() - t0 };
  const papersFingerprint = cached?.papersFingerprint;
  if (cached) {
    const { snapshot } = cached;
    if (snapshot.saveError) throw new Error(`saving the corpus snapshot failed: ${snapshot.saveError}`);
    if (engine === "paperbot-reload" && !snapshot.reused)
      throw new Error(`the corpus snapshot was not reused: ${snapshot.reason}`);
    result.snapshotReused = snapshot.reused;
    if (snapshot.saveMs !== undefined) {
      result.snapshotSaveMs = snapshot.saveMs;
      result.loadCorpusMs = (result.loadCorpusMs as number) - snapshot.saveMs;
    }
  }

  let search: SearchFn;
  let firstAnswer: (text: string) => void;
  let ask: ((text: string) => void) | undefined;
  let corpusHeapMb: number;
  if (paperbot) {
    // Exactly what the app does (LiveCorpus with an index cache): the PaperIndex asks the
    // persistent factory, which reuses the saved index or builds and saves one (checked with the
    // papers' fingerprint the snapshot holds, as LiveCorpus does).
    corpusHeapMb = measureHeap();
    let outcome: IndexCacheOutcome | undefined;
    let paperEngine: SearchEngine | undefined;
    const factory = createPersistentPaperEngine(indexPath, (o) => {
      outcome = o;
    });
    const i0 = performance.now();
    const index = new PaperIndex(papers, {
      engine: (source) =>
        (paperEngine = factory(
          papersFingerprint ? { ...source, fingerprint: () => papersFingerprint } : source,
        )),
    });
    const indexMs = performance.now() - i0;
    if (!outcome || !paperEngine) throw new Error("the index factory was not called");
    if (engine === "paperbot-reload") {
      if (!outcome.reused) throw new Error(`the saved index was not reused: ${outcome.reason}`);
      result.reloadMs = indexMs;
    } else {
      if (outcome.reused) throw new Error("a fresh build reused an index");
      if (outcome.saveError) throw new Error(`saving the index failed: ${outcome.saveError}`);
      Object.assign(result, {
        buildMs: outcome.buildMs,
        saveMs: outcome.saveMs,
      });
    }
    const built = paperEngine;
    // The first answer as a person sees it (snippets included); timed queries ask the engine.
    firstAnswer = (text) => index.search(text, { limit: 5 });
    ask = (text) => index.ask(text, { limit: 3 });
    search = (text, limit) => built.search(text, { limit }).map((hit) => hit.id);
  } else {
    const d0 = performance.now();
    const documents = papers.map(paperDocument);
    result.documentsMs = performance.now() - d0;
    corpusHeapMb = measureHeap();
    const b0 = performance.now();
    // Loaded only here: paperbot's own rows do not pay for loading the other engines' code.
    const { PEER_ADAPTERS } = await import("./peers.ts");
    search = await PEER_ADAPTERS[engine](documents);
    result.buildMs = performance.now() - b0;
    firstAnswer = (text) => search(text, 10);
  }

  const first = queries[0];
  if (first) firstAnswer(first.text);
  // performance.now() counts from process start: this is start -> corpus -> index -> first answer.
  // (Less the forced GC above, which only the benchmark does.)
  result.coldStartMs = performance.now() - measuringMs;
  // Questions people ask in their own words (none of the corpus's invented words: every word goes
  // through meaning), and the benchmark's word pairs asked as questions.
  const questions = [
    ...[...PARAPHRASES, ...NEGATIVES].map((q) => q.query),
    ...queries.map((q) => `which paper is about ${q.text}?`),
  ];
  if (ask) {
    ask(questions[0] as string);
    result.firstAskMs = performance.now() - measuringMs;
  }
  // One untimed pass over other queries first, the same for every engine: the table shows
  // steady-state serving, not the JIT compiling or collecting the build's garbage, and no
  // engine answers a timed query it has just seen.
  const warmup = JSON.parse(readFileSync(join(corpusDir, "warmup.json"), "utf8")) as BenchQuery[];
  for (const q of warmup.slice(0, Math.max(queries.length, 20))) search(q.text, 10);

  const times: number[] = [];
  const exactTimes: number[] = [];
  const typoTimes: number[] = [];
  let exactHits = 0;
  let typoHits = 0;
  for (const q of queries) {
    const s = performance.now();
    const ids = search(q.text, 10);
    const ms = performance.now() - s;
    times.push(ms);
    (q.typo ? typoTimes : exactTimes).push(ms);
    if (ids.slice(0, 10).includes(q.target)) {
      if (q.typo) typoHits++;
      else exactHits++;
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  // The same queries again: a saved index opened from disk has now read what they need (the first
  // pass paid for reading it), as a serving process has for the queries it keeps being asked.
  const again: number[] = [];
  for (const q of queries) {
    const s = performance.now();
    search(q.text, 10);
    again.push(performance.now() - s);
  }
  again.sort((a, b) => a - b);
  if (ask) {
    const warmAsk = warmup.slice(0, 40).map((q) => `anything on ${q.text}?`);
    for (const q of warmAsk) ask(q);
    const askTimes: number[] = [];
    for (const q of questions) {
      const s = performance.now();
      ask(q);
      askTimes.push(performance.now() - s);
    }
    askTimes.sort((a, b) => a - b);
    Object.assign(result, {
      askQueries: askTimes.length,
      askMedianMs: percentile(askTimes, 50),
      askP99Ms: percentile(askTimes, 99),
    });
  }
  const heapMb = gcHeapMb();
  const exactCount = queries.filter((q) => !q.typo).length;
  const typoCount = queries.length - exactCount;
  Object.assign(result, {
    queries: queries.length,
    medianMs: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    againMedianMs: percentile(again, 50),
    againP99Ms: percentile(again, 99),
    exactMedianMs: median(exactTimes),
    typoMedianMs: median(typoTimes),
    recallExact: exactCount ? exactHits / exactCount : Number.NaN,
    recallTypo: typoCount ? typoHits / typoCount : Number.NaN,
    heapMb,
    engineHeapMb: heapMb - corpusHeapMb,
    residentMb: process.memoryUsage().rss / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  });
  // Keep the engine reachable until the heap is measured.
  search("", 1);
  if (engine === "paperbot" && papers.length <= RELOAD_STALL_MAX_PAPERS) {
    result.reloadStall = await reloadStalls(
      corpusDir,
      queries.map((q) => q.text),
    );
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

await main();
