/**
 * Keeps the current PaperIndex and reloads it when files under PAPERS_PATH change. A reload that
 * fails (unreadable path, no papers, or more problems than the corpus serving now) keeps the last
 * good index serving and logs why. With an index cache path, the search index is saved there and
 * reused by the next start when the papers are the same (a stale or damaged file is rebuilt), and
 * the parsed corpus is saved beside it (`<path>.corpus`), so a restart with the same data files
 * reads two files and parses nothing.
 */
import { type FSWatcher, watch } from "node:fs";
import type { DataProblem } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { PaperIndex, type PaperIndexOptions } from "../paper-index.ts";
import { createPersistentPaperEngine, type IndexCacheOutcome } from "../search/persist.ts";
import { loadCachedCorpus, type SnapshotOutcome, snapshotPathFor } from "./corpus-cache.ts";
import { type Corpus, loadCorpus, type SkippedFile } from "./load-corpus.ts";
import { problemLines } from "./problem-summary.ts";
import type { PaperRecord } from "./record.ts";

const RELOAD_DEBOUNCE_MS = 300;

export interface LiveCorpusOptions extends PaperIndexOptions {
  logger: Logger;
  /** Where the search index is saved for the next start (ignored when `engine` is given). */
  indexCachePath?: string;
  /** Papers kept outside the data files (fetched from arXiv), read at every load. */
  extraRecords?: () => Promise<PaperRecord[]>;
}

const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(2)} s`;

/** Names this many skipped files in the log line; `paperbot check` lists them all. */
const SKIPPED_NAMED = 5;

function logSkipped(logger: Logger, path: string, skipped: readonly SkippedFile[]): void {
  if (skipped.length === 0) return;
  const named = skipped.slice(0, SKIPPED_NAMED).map((entry) => `${entry.file} (${entry.reason})`);
  const more = skipped.length > SKIPPED_NAMED ? `, and ${skipped.length - SKIPPED_NAMED} more` : "";
  logger.info(
    `not read under ${path}: ${named.join(", ")}${more} (npx paperbot check lists everything skipped)`,
  );
}

function logIndexCache(logger: Logger, outcome: IndexCacheOutcome): void {
  if (outcome.reused) {
    logger.info(`search index reused from ${outcome.path} (${seconds(outcome.loadMs)})`);
    return;
  }
  logger.info(
    `search index built (${outcome.reason}) in ${seconds((outcome.documentsMs ?? 0) + (outcome.buildMs ?? 0))}`,
  );
  if (outcome.saveError) {
    logger.warn(
      `search index not saved to ${outcome.path}, the next start builds it again: ${outcome.saveError}`,
    );
  } else logger.info(`search index saved to ${outcome.path}`);
}

function logSnapshot(logger: Logger, outcome: SnapshotOutcome): void {
  if (outcome.reused) {
    logger.info(`papers read from the snapshot ${outcome.path} (${seconds(outcome.checkMs)})`);
    return;
  }
  logger.info(`papers parsed in ${seconds(outcome.parseMs)} (corpus snapshot not used: ${outcome.reason})`);
  if (outcome.saveError) {
    logger.warn(
      `corpus snapshot not saved to ${outcome.path}, the next start parses the files again: ${outcome.saveError}`,
    );
  } else logger.info(`corpus snapshot saved to ${outcome.path}`);
}

/** The corpus, through the snapshot beside the saved index when there is one. */
async function readCorpus(
  path: string,
  options: LiveCorpusOptions,
): Promise<Corpus & { papersFingerprint?: string }> {
  const extra = (await options.extraRecords?.()) ?? [];
  if (!options.indexCachePath) return loadCorpus(path, extra);
  const corpus = await loadCachedCorpus(path, extra, snapshotPathFor(options.indexCachePath));
  logSnapshot(options.logger, corpus.snapshot);
  return corpus;
}

/** `papersFingerprint`, when known from the snapshot, spares hashing every paper to check the saved index. */
function indexOptions(options: LiveCorpusOptions, papersFingerprint?: string): PaperIndexOptions {
  const { engine, indexCachePath, logger } = options;
  // The logger also carries the one line saying questions are answered by their words only, when so.
  if (engine || !indexCachePath) return { engine, logger };
  const persistent = createPersistentPaperEngine(indexCachePath, (outcome) => logIndexCache(logger, outcome));
  return {
    engine: papersFingerprint
      ? (source) => persistent({ ...source, fingerprint: () => papersFingerprint })
      : persistent,
    logger,
  };
}

export class LiveCorpus {
  private index: PaperIndex;
  private problems: DataProblem[];
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private reloading: Promise<boolean> = Promise.resolve(true);

  private constructor(
    private readonly path: string,
    private readonly options: LiveCorpusOptions,
    index: PaperIndex,
    problems: DataProblem[],
  ) {
    this.index = index;
    this.problems = problems;
  }

  /** Loads once; data problems are logged, not fatal. Throws when the path cannot be read at all. */
  static async open(path: string, options: LiveCorpusOptions): Promise<LiveCorpus> {
    const corpus = await readCorpus(path, options);
    for (const line of problemLines(corpus.problems)) options.logger.warn(`data: ${line}`);
    options.logger.info(
      `loaded ${corpus.papers.length} papers from ${corpus.files.length} file(s) under ${path}`,
    );
    logSkipped(options.logger, path, corpus.skipped);
    const index = new PaperIndex(corpus.papers, indexOptions(options, corpus.papersFingerprint));
    return new LiveCorpus(path, options, index, corpus.problems);
  }

  /** The index serving now; read it per request so a reload takes effect between requests. */
  current(): PaperIndex {
    return this.index;
  }

  currentProblems(): readonly DataProblem[] {
    return this.problems;
  }

  /** Reloads now; resolves true when the new corpus took over. */
  reload(): Promise<boolean> {
    this.reloading = this.reloading.then(() => this.reloadNow());
    return this.reloading;
  }

  private async reloadNow(): Promise<boolean> {
    const { logger } = this.options;
    try {
      const corpus = await readCorpus(this.path, this.options);
      if (corpus.papers.length === 0) throw new Error("no papers found");
      if (corpus.problems.length > this.problems.length) {
        const problems = problemLines(corpus.problems).join("; ");
        throw new Error(
          `the data now has ${corpus.problems.length} problem(s) (was ${this.problems.length}): ${problems}`,
        );
      }
      this.index = new PaperIndex(corpus.papers, indexOptions(this.options, corpus.papersFingerprint));
      this.problems = corpus.problems;
      logger.info(`reloaded ${corpus.papers.length} papers from ${this.path}`);
      return true;
    } catch (error) {
      logger.warn(
        `reload of ${this.path} failed, still serving the last good ${this.index.size} papers: ${(error as Error).message}`,
      );
      return false;
    }
  }

  /** Reloads when files change (debounced, so an editor's burst of writes reloads once). */
  watch(): void {
    if (this.watcher) return;
    this.watcher = watch(this.path, { recursive: true, persistent: false }, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), RELOAD_DEBOUNCE_MS);
    });
    this.watcher.on("error", (error) =>
      this.options.logger.warn(`watching ${this.path} stopped: ${error.message}`),
    );
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
