/**
 * One engine, one corpus size, one process: loads the corpus through paperbot's loader, builds
 * (or reloads) the engine, runs the queries and prints one `RESULT {json}` line. Run by run.ts,
 * so each engine's heap and garbage stay its own.
 *
 *   node --expose-gc --import tsx bench/child.ts <engine> <corpusDir> <indexPath> [maxQueries]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadCorpus } from "../src/core/corpus/load-corpus.ts";
import { latexToText } from "../src/core/latex.ts";
import type { Paper } from "../src/core/paper.ts";
import type { SearchDocument } from "../src/core/search/engine.ts";
import { PaperEngine } from "../src/core/search/paper-engine.ts";
import { corpusFingerprint, loadOrBuildPaperEngine, saveEngine } from "../src/core/search/persist.ts";
import type { BenchQuery } from "./corpus.ts";
import { type EngineName, PEER_ADAPTERS, type SearchFn } from "./peers.ts";

export interface ChildResult {
  engine: EngineName;
  size: number;
  loadCorpusMs: number;
  buildMs?: number;
  reloadMs?: number;
  saveMs?: number;
  coldStartMs?: number;
  queries: number;
  medianMs: number;
  p99Ms: number;
  exactMedianMs: number;
  typoMedianMs: number;
  recallExact: number;
  recallTypo: number;
  /** Post-GC heap plus ArrayBuffers (typed arrays live outside the JS heap), corpus included. */
  heapMb: number;
  /** The same, minus what the loaded corpus alone took: the engine's own share. */
  engineHeapMb: number;
  peakRssMb: number;
}

function toDocument(paper: Paper): SearchDocument {
  return {
    id: paper.id,
    title: paper.title,
    authors: paper.authors.join("; "),
    venue: paper.venue ?? "",
    categories: paper.categories.join(" "),
    abstract: latexToText(paper.abstract),
  };
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
  return (usage.heapUsed + usage.arrayBuffers) / 2 ** 20;
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
  const t0 = performance.now();
  const { papers } = await loadCorpus(corpusDir);
  const documents = papers.map(toDocument);
  const loadCorpusMs = performance.now() - t0;
  const g0 = performance.now();
  const corpusHeapMb = gcHeapMb();
  const measuringMs = performance.now() - g0;
  const result: Partial<ChildResult> = { engine, size: papers.length, loadCorpusMs };

  let search: SearchFn;
  if (engine === "paperbot" || engine === "paperbot-reload") {
    let paperEngine: PaperEngine;
    if (engine === "paperbot") {
      const b0 = performance.now();
      paperEngine = PaperEngine.build(documents);
      result.buildMs = performance.now() - b0;
      const s0 = performance.now();
      saveEngine(paperEngine, indexPath, corpusFingerprint(documents));
      result.saveMs = performance.now() - s0;
    } else {
      // What a restart does (createPersistentPaperEngine): check the saved index was built from
      // this corpus, then map it in.
      const r0 = performance.now();
      const loaded = loadOrBuildPaperEngine(documents, indexPath);
      if (!loaded.reused) throw new Error("the saved index was not reused");
      paperEngine = loaded.engine;
      result.reloadMs = performance.now() - r0;
    }
    search = (text, limit) => paperEngine.search(text, { limit }).map((hit) => hit.id);
  } else {
    const b0 = performance.now();
    search = await PEER_ADAPTERS[engine](documents);
    result.buildMs = performance.now() - b0;
  }

  const first = queries[0];
  if (first) search(first.text, 10);
  // performance.now() counts from process start: this is start -> corpus -> index -> first answer.
  // (Less the forced GC above, which only the benchmark does.)
  result.coldStartMs = performance.now() - measuringMs;
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
  const exactCount = queries.filter((q) => !q.typo).length;
  const typoCount = queries.length - exactCount;
  Object.assign(result, {
    queries: queries.length,
    medianMs: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    exactMedianMs: median(exactTimes),
    typoMedianMs: median(typoTimes),
    recallExact: exactCount ? exactHits / exactCount : Number.NaN,
    recallTypo: typoCount ? typoHits / typoCount : Number.NaN,
    heapMb: gcHeapMb(),
    engineHeapMb: gcHeapMb() - corpusHeapMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  });
  // Keep the engine reachable until the heap is measured.
  search("", 1);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

await main();
