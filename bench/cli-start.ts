/**
 * The one-shot CLI from process start to its first answer, as a user runs it: `npx paperbot search
 * <words> --json` (bin/paperbot.mjs, compiled dist/) with PAPERS_PATH and INDEX_CACHE_PATH set, so
 * it restarts from the saved index and corpus snapshot the paperbot rows left. One untimed run, then
 * RUNS timed ones; the median is reported. Each answer must hold the query's target paper.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import type { BenchQuery } from "./corpus.ts";

const ROOT = join(import.meta.dirname, "..");
const RUNS = 3;

export interface CliStart {
  /** Median of RUNS, process start to the answer printed. */
  medianMs: number;
  runsMs: number[];
}

/** Compiles dist/ when the sources are newer, as `npm test` does. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--if-stale"], { stdio: "ignore" });
}

export async function cliColdStart(
  corpusDir: string,
  indexPath: string,
  query: BenchQuery,
): Promise<CliStart> {
  const state = mkdtempSync(join(tmpdir(), "paperbot-bench-cli-"));
  const env = {
    ...process.env,
    PAPERS_PATH: corpusDir,
    INDEX_CACHE_PATH: indexPath,
    DATABASE_PATH: join(state, "state.db"),
  };
  const run = async () => {
    const t0 = performance.now();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, "bin", "paperbot.mjs"), "search", query.text, "--json"],
      { env, maxBuffer: 1 << 24 },
    );
    const ms = performance.now() - t0;
    const ids = (JSON.parse(stdout) as { results: { id: string }[] }).results.map((r) => r.id);
    if (!ids.includes(query.target))
      throw new Error(`the CLI did not find ${query.target} for "${query.text}"`);
    return ms;
  };
  try {
    await run();
    const runsMs: number[] = [];
    for (let i = 0; i < RUNS; i++) runsMs.push(await run());
    const sorted = [...runsMs].sort((a, b) => a - b);
    return { medianMs: sorted[Math.floor(RUNS / 2)] as number, runsMs };
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}
