/**
 * `npm run bench [-- --sizes 1000,10000,100000 --engines paperbot,flexsearch,...]`
 * A million papers is opt-in, and long (generating ~1.5 GB of text once, then building):
 * `npm run bench -- --sizes 1000000 --engines paperbot,paperbot-reload`.
 *
 * Generates the seeded corpus per size (native text format, cached under bench/.cache), then
 * measures each engine in its own child process on identical queries, prints a table and
 * writes bench/results.json.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildResult } from "./child.ts";
import { cliColdStart, ensureBuilt } from "./cli-start.ts";
import { ensureCorpus, QUERY_COUNT } from "./corpus.ts";
import type { EngineName } from "./peers.ts";
import { withPerformanceSection } from "./readme-section.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const ALL_ENGINES: EngineName[] = [
  "paperbot",
  "paperbot-reload",
  "flexsearch",
  "minisearch",
  "orama",
  "fuse",
];
/** Plain Fuse scans every abstract per query (~0.3 s each at 1,000 papers): a capped query count, small sizes only. */
const FUSE_MAX_SIZE = 1000;
const FUSE_MAX_QUERIES = 40;
/** Past this only paperbot runs: the other engines take many minutes (or all the memory) to build. */
const PEER_MAX_SIZE = 100_000;
/** 8 minutes, and more for a million papers (generating, building and saving take a while there). */
const childTimeoutMs = (size: number) => Math.max(8, Math.ceil(size / 100_000) * 3) * 60_000;

interface Skipped {
  engine: EngineName;
  size: number;
  skipped: string;
}
type Row = ChildResult | Skipped;

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

function runChild(
  engine: EngineName,
  dir: string,
  indexPath: string,
  size: number,
  maxQueries?: number,
): Promise<Row> {
  const args = [
    "--expose-gc",
    "--max-old-space-size=8192",
    "--import",
    "tsx",
    join(HERE, "child.ts"),
    engine,
    dir,
    indexPath,
    ...(maxQueries ? [String(maxQueries)] : []),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    const timeoutMs = childTimeoutMs(size);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (line) resolve(JSON.parse(line.slice(7)) as ChildResult);
      else {
        const why = signal ? `stopped after ${timeoutMs / 60_000} min` : `failed (exit ${code})`;
        process.stderr.write(err.slice(-2000));
        resolve({ engine, size: 0, skipped: why });
      }
    });
  });
}

const fmt = (v: number | undefined, digits = 2) =>
  v === undefined || Number.isNaN(v) ? "-" : v.toFixed(digits);
const pct = (v: number) => (Number.isNaN(v) ? "-" : `${Math.round(v * 100)}%`);
const sec = (ms: number | undefined) => (ms === undefined ? "-" : `${(ms / 1000).toFixed(2)} s`);

export function table(rows: Row[]): string {
  const head =
    "| engine | papers | median | p99 | again: median / p99 | exact / typo median | recall@10 exact / typo | load corpus | documents | build | reload | cold start | CLI first answer | heap (engine) | resident | peak RSS |\n" +
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  const lines = rows.map((r) => {
    if ("skipped" in r)
      return `| ${r.engine} | ${r.size.toLocaleString("en")} | ${r.skipped} ||||||||||||| |`;
    const queries = r.queries < QUERY_COUNT ? ` (${r.queries} q)` : "";
    return (
      `| ${r.engine}${queries} | ${r.size.toLocaleString("en")} | ${fmt(r.medianMs, 3)} ms | ${fmt(r.p99Ms)} ms | ` +
      `${fmt(r.againMedianMs, 3)} / ${fmt(r.againP99Ms)} ms | ${fmt(r.exactMedianMs, 3)} / ${fmt(r.typoMedianMs, 3)} ms | ${pct(r.recallExact)} / ${pct(r.recallTypo)} | ` +
      `${sec(r.loadCorpusMs)} | ${sec(r.documentsMs)} | ${sec(r.buildMs)} | ${sec(r.reloadMs)} | ${sec(r.coldStartMs)} | ` +
      `${sec(r.cliStartMs)} | ${fmt(r.heapMb, 0)} MB (${fmt(r.engineHeapMb, 0)}) | ${fmt(r.residentMb, 0)} MB | ${fmt(r.peakRssMb, 0)} MB |`
    );
  });
  return [head, ...lines].join("\n");
}

/** How much a reload stalls searches running meanwhile, per size (paperbot's fresh-build rows measure it). */
function reloadStallLines(rows: Row[]): string[] {
  const measured = rows.flatMap((r) => ("skipped" in r || !r.reloadStall ? [] : [r]));
  if (measured.length === 0) return [];
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  return [
    "A reload while a search runs every 5 ms (every data file changed, nothing saved matches): the longest",
    "event-loop delay on the main thread, and the longest a search waited, with the reload on the main thread",
    "and in the reload worker (as the bot runs it):",
    "",
    "| papers | reload | main thread: worst delay / wait | worker: worst delay / wait |",
    "|---:|---:|---:|---:|",
    ...measured.map((r) => {
      const { main, worker } = r.reloadStall as NonNullable<ChildResult["reloadStall"]>;
      return (
        `| ${r.size.toLocaleString("en")} | ${sec(worker.reloadMs)} | ${ms(main.delayWorstMs)} / ${ms(main.worstGapMs)} | ` +
        `${ms(worker.delayWorstMs)} / ${ms(worker.worstGapMs)} |`
      );
    }),
    "",
  ];
}

/** The start-up and scale goals per size: CLI first answer, search median / p99, build, heap. */
const GOALS: Record<
  number,
  { cliMs: number; medianMs: number; p99Ms: number; buildMs: number; heapMb: number }
> = {
  100000: { cliMs: 1000, medianMs: 0.1, p99Ms: 2, buildMs: 8000, heapMb: 250 },
  1000000: { cliMs: 3000, medianMs: 1, p99Ms: 15, buildMs: 120_000, heapMb: 1500 },
};

/** Each goal size's figures against its goals (paperbot's rows: first-time searches, the larger heap of the two). */
function goalLines(rows: Row[]): string[] {
  const lines: string[] = [];
  for (const [size, goal] of Object.entries(GOALS).map(([s, g]) => [Number(s), g] as const)) {
    const built = rows.find(
      (r): r is ChildResult => !("skipped" in r) && r.engine === "paperbot" && r.size === size,
    );
    const reload = rows.find(
      (r): r is ChildResult => !("skipped" in r) && r.engine === "paperbot-reload" && r.size === size,
    );
    if (!built || !reload || reload.cliStartMs === undefined || built.buildMs === undefined) continue;
    const heapMb = Math.max(built.heapMb, reload.heapMb);
    const mark = (ok: boolean) => (ok ? "met" : "**missed**");
    lines.push(
      `| ${size.toLocaleString("en")} | ${sec(reload.cliStartMs)} (<= ${sec(goal.cliMs)}): ${mark(reload.cliStartMs <= goal.cliMs)} | ` +
        `${fmt(reload.medianMs, 3)} / ${fmt(reload.p99Ms)} ms (<= ${goal.medianMs} / ${goal.p99Ms} ms): ${mark(reload.medianMs <= goal.medianMs && reload.p99Ms <= goal.p99Ms)} | ` +
        `${sec(built.buildMs)} (<= ${sec(goal.buildMs)}): ${mark(built.buildMs <= goal.buildMs)} | ` +
        `${fmt(heapMb, 0)} MB (<= ${goal.heapMb} MB): ${mark(heapMb <= goal.heapMb)} |`,
    );
  }
  if (lines.length === 0) return [];
  return [
    "Against the goals for a large corpus (paperbot's rows above: the CLI's first answer, the first-time",
    "search figures of the restarted engine, the fresh build, and the larger heap of the two):",
    "",
    "| papers | CLI first answer | search median / p99 | build | heap |",
    "|---:|---|---|---|---|",
    ...lines,
    "",
  ];
}

/**
 * The README's "Performance" section: a compact table and how to reproduce it. `million`: the last
 * opt-in run at a million papers (bench/results-million.json), shown after the full run's rows.
 */
export function performanceMarkdown(rows: Row[], loadAverage: number[], million?: SavedResults): string {
  const shown = million ? [...rows, ...million.rows] : rows;
  const lines = shown.map((r) => {
    if ("skipped" in r)
      return `| ${r.engine} | ${r.size.toLocaleString("en")} | ${r.skipped} | | | | | | | | |`;
    const note = r.queries < QUERY_COUNT ? ` (${r.queries} queries)` : "";
    const built =
      r.reloadMs !== undefined ? `reload ${sec(r.reloadMs)}` : sec((r.documentsMs ?? 0) + (r.buildMs ?? 0));
    return (
      `| ${r.engine}${note} | ${r.size.toLocaleString("en")} | ${fmt(r.medianMs, 3)} ms | ${fmt(r.p99Ms)} ms | ` +
      `${fmt(r.againMedianMs, 3)} / ${fmt(r.againP99Ms)} ms | ${pct(r.recallExact)} / ${pct(r.recallTypo)} | ${built} | ${sec(r.coldStartMs)} (${sec(r.loadCorpusMs)}) | ` +
      `${sec(r.cliStartMs)} | ${fmt(r.heapMb, 0)} MB (${fmt(r.engineHeapMb, 0)}) | ${fmt(r.residentMb, 0)} MB |`
    );
  });
  return [
    "## Performance",
    "",
    "Search over synthetic arXiv-like corpora (Zipf vocabulary of 200,000 words, abstracts of 120-200 words,",
    "written in the native text format and read by paperbot's own loader). 200 queries, each two distinctive",
    "words of one target paper, half with one dropped letter; recall@10 = the target is in the top 10. Each",
    "engine runs in its own process on a 2-core machine, after one untimed pass over other queries; then the",
    "same queries are asked again (paperbot's engines read their saved index as queries use it: the first pass",
    "includes reading those parts from disk; asked again, they are in memory). `paperbot` builds and saves the",
    "index, then serves the saved file, as the app does. `paperbot-reload` restarts as the app does with its saved",
    "index (`INDEX_CACHE_PATH`): it checks the index was built from the same papers and maps it in, without",
    "cleaning any abstract's LaTeX.",
    "",
    "| engine | papers | median | p99 | asked again: median / p99 | recall@10 exact / typo | build* | cold start** | CLI first answer | heap*** (engine) | resident |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...lines,
    "",
    "\\* plain-text documents (LaTeX cleaned out of every abstract; paperbot cleans each as it indexes it)",
    "plus indexing them. \\*\\* process start",
    "to first answer: Node start, reading, parsing and merging the corpus files (in brackets: that part",
    "alone, paperbot's loader, the same for every engine), making documents unless a saved index is",
    "reused, building or reloading the index, one query. CLI first answer: `npx paperbot search <words> --json`",
    "run as a user runs it, from the saved index and snapshot (median of 3). \\*\\*\\* the whole process's heap",
    "plus typed arrays after GC, corpus included, counting the parts of a saved index reserved but not read yet;",
    "in brackets the engine's share: minus the loaded papers (and, for the other engines, minus the documents",
    "they are given). Resident: the process's resident memory after GC at the end, what it really holds.",
    `Load average during the run: ${loadAverage.map((v) => v.toFixed(1)).join(" ")} (other work on the machine skews timings).`,
    ...(million
      ? [
          `The 1,000,000-paper rows come from the last opt-in run (${million.date.slice(0, 10)}, load average`,
          `${million.machine.loadAverage.map((v) => v.toFixed(1)).join(" ")}; \`bench/results-million.json\`).`,
        ]
      : []),
    "",
    ...goalLines(shown),
    ...reloadStallLines(rows),
    "Reproduce: `npm run bench` (1,000 to 100,000 papers, ~10 minutes; `-- --sizes 1000,10000` for a quick run,",
    "`-- --engines paperbot,flexsearch` to pick engines). Raw figures: `bench/results.json`. A full run",
    "(every engine, up to 100,000 papers) rewrites `bench/results.json`, `bench/PERFORMANCE.md` and this",
    "section of the README, and says so; partial runs write only `bench/.cache/results-partial.json`.",
    "A million papers is opt-in: `-- --sizes 1000000 --engines paperbot,paperbot-reload` (ten generated files of",
    "100,000 papers, ~1.4 GB, made once in about 2 minutes under `bench/.cache/`; the first run parses and builds",
    "for a long time). Past 100,000 papers only paperbot's engines run. Such a run keeps its figures in",
    "`bench/results-million.json`, which the next full run shows with its own.",
    "Relevance on the bundled papers: `npm run eval`.",
    "",
  ].join("\n");
}

/** Replaces the published figures (tracked files), and says so: the run's changes show in `git diff`. */
function writePerformance(markdownPath: string, section: string): void {
  writeFileSync(markdownPath, section);
  const readmePath = join(HERE, "..", "README.md");
  writeFileSync(readmePath, withPerformanceSection(readFileSync(readmePath, "utf8"), section));
  process.stderr.write(
    "wrote the new figures to bench/results.json, bench/PERFORMANCE.md and README.md's Performance section (tracked files: review with git diff)\n",
  );
}

export interface SavedResults {
  date: string;
  machine: { cpus: number; node: string; loadAverage: number[] };
  queries: number;
  rows: Row[];
}

async function main(): Promise<void> {
  const resultsPath = join(HERE, "results.json");
  const millionPath = join(HERE, "results-million.json");
  const markdownPath = join(HERE, "PERFORMANCE.md");
  const readSaved = (path: string) =>
    existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as SavedResults) : undefined;
  if (process.argv.includes("--markdown")) {
    // Rewrite PERFORMANCE.md from the last full run without measuring again.
    const saved = readSaved(resultsPath) as SavedResults;
    writePerformance(
      markdownPath,
      performanceMarkdown(saved.rows, saved.machine.loadAverage, readSaved(millionPath)),
    );
    return;
  }
  const sizes = argument("sizes", "1000,10000,100000").split(",").map(Number);
  const engines = argument("engines", ALL_ENGINES.join(",")).split(",") as EngineName[];
  const rows: Row[] = [];
  if (engines.includes("paperbot-reload")) ensureBuilt();
  for (const size of sizes) {
    const g0 = Date.now();
    const { dir, queries } = ensureCorpus(join(HERE, ".cache", `corpus-${size}`), size);
    process.stderr.write(`corpus ${size}: ready in ${Date.now() - g0} ms\n`);
    const indexPath = join(HERE, ".cache", `index-${size}.pbix`);
    for (const engine of engines) {
      if (engine === "fuse" && size > FUSE_MAX_SIZE) {
        rows.push({ engine, size, skipped: "skipped: over 1 min (full scan per query)" });
        continue;
      }
      if (!engine.startsWith("paperbot") && size > PEER_MAX_SIZE) {
        rows.push({ engine, size, skipped: "skipped: paperbot only past 100,000 papers" });
        continue;
      }
      const max = engine === "fuse" ? FUSE_MAX_QUERIES : undefined;
      const e0 = Date.now();
      const row = await runChild(engine, dir, indexPath, size, max);
      if ("skipped" in row) row.size = size;
      else if (engine === "paperbot-reload" && queries[0]) {
        // The same saved index and snapshot, through the compiled one-shot CLI.
        row.cliStartMs = (await cliColdStart(dir, indexPath, queries[0])).medianMs;
      }
      rows.push(row);
      process.stderr.write(`  ${engine} @ ${size}: ${((Date.now() - e0) / 1000).toFixed(1)} s\n`);
    }
  }
  // Other work on a shared 2-core machine skews timings: the load average says how much there was.
  const loadAverage = loadavg();
  process.stdout.write(
    `${table(rows)}\n\nload average at the end: ${loadAverage.map((v) => v.toFixed(1)).join(" ")}\n`,
  );
  const saved: SavedResults = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadAverage },
    queries: QUERY_COUNT,
    rows,
  };
  // A million papers measured by both paperbot engines is kept apart (tracked): the published
  // section shows it with the next full run's figures.
  const millionRows = rows.filter((r) => r.size === 1_000_000 && r.engine.startsWith("paperbot"));
  if (millionRows.length === 2 && millionRows.every((r) => !("skipped" in r))) {
    writeFileSync(millionPath, `${JSON.stringify({ ...saved, rows: millionRows }, null, 2)}\n`);
    process.stderr.write("wrote the million-paper figures to bench/results-million.json\n");
  }
  // Only a full run (every engine, up to 100,000 papers) replaces the published figures.
  if (sizes.includes(100_000) && ALL_ENGINES.every((e) => engines.includes(e))) {
    writeFileSync(resultsPath, `${JSON.stringify(saved, null, 2)}\n`);
    // The saved million-paper figures, unless this run measured a million papers itself.
    const million = rows.some((r) => r.size === 1_000_000) ? undefined : readSaved(millionPath);
    writePerformance(markdownPath, performanceMarkdown(rows, loadAverage, million));
  } else {
    writeFileSync(join(HERE, ".cache", "results-partial.json"), `${JSON.stringify(saved, null, 2)}\n`);
  }
}

await main();
