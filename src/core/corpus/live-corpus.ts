/**
 * Keeps the current PaperIndex and reloads it when files under PAPERS_PATH change. A reload that
 * fails (unreadable path, no papers, or more problems than the corpus serving now) keeps the last
 * good index serving and logs why. With an index cache path, the search index is saved there and
 * reused by the next start when the papers are the same (a stale or damaged file is rebuilt), and
 * the parsed corpus is saved beside it (`<path>.corpus`), so a restart with the same data files
 * reads two files and parses nothing.
 *
 * A reload does its reading, parsing and building in a worker thread (reload-worker.ts) and swaps
 * the new index in between requests, so the bot keeps answering meanwhile; should the worker fail
 * to start or die, that reload runs on the main thread instead.
 */
import { type FSWatcher, watch } from "node:fs";
import type { DataProblem } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { afterTimers, nextTurn } from "../next-turn.ts";
import { PaperIndex, type PaperIndexOptions } from "../paper-index.ts";
import { shortFieldsOf } from "../search/paper-engine.ts";
import { paperSource } from "../search/paper-source.ts";
import {
  createPersistentPaperEngine,
  type IndexCacheOutcome,
  openSavedIndex,
  openSavedIndexFile,
} from "../search/persist.ts";
import { sharedWordVectors } from "../search/semantic/vector-store.ts";
import { loadCachedCorpus, type SnapshotOutcome, snapshotPathFor } from "./corpus-cache.ts";
import { type Corpus, loadCorpus, type SkippedFile } from "./load-corpus.ts";
import { problemLines } from "./problem-summary.ts";
import type { PaperRecord } from "./record.ts";
import { reloadRefusal } from "./reload-build.ts";
import { ReloadWorkerError, type RunningReload, reloadInWorker } from "./worker-reload.ts";

const RELOAD_DEBOUNCE_MS = 300;
/** Papers whose ids are decoded per turn of the event loop during a reload's swap. */
const ID_SLICE = 10_000;

export interface LiveCorpusOptions extends PaperIndexOptions {
  logger: Logger;
  /** Where the search index is saved for the next start (ignored when `engine` is given). */
  indexCachePath?: string;
  /** Papers kept outside the data files (fetched from arXiv), read at every load. */
  extraRecords?: () => Promise<PaperRecord[]>;
  /**
   * The reload worker's file (tests give a broken one); false reloads on the main thread (the
   * benchmark's "before"). With an `engine` factory reloads stay on the main thread: a function
   * cannot cross to a worker.
   */
  reloadWorker?: URL | false;
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
  logger.info(`search index built (${outcome.reason}) in ${seconds(outcome.buildMs ?? 0)}`);
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
  extra: PaperRecord[],
): Promise<Corpus & { papersFingerprint?: string }> {
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
  private worker?: RunningReload;
  private closed = false;

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
    const corpus = await readCorpus(path, options, (await options.extraRecords?.()) ?? []);
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
    if (this.closed) return false;
    try {
      const extra = (await this.options.extraRecords?.()) ?? [];
      const next = (await this.reloadOffThread(extra)) ?? (await this.reloadHere(extra));
      this.index = next.index;
      this.problems = next.problems;
      logger.info(`reloaded ${next.index.size} papers from ${this.path}`);
      return true;
    } catch (error) {
      if (this.closed) return false;
      logger.warn(
        `reload of ${this.path} failed, still serving the last good ${this.index.size} papers: ${(error as Error).message}`,
      );
      return false;
    }
  }

  /** Throws when the new corpus must not serve (see reloadRefusal). */
  private async reloadHere(extra: PaperRecord[]): Promise<{ index: PaperIndex; problems: DataProblem[] }> {
    const corpus = await readCorpus(this.path, this.options, extra);
    const refusal = reloadRefusal(corpus, this.problems.length);
    if (refusal) throw new Error(refusal);
    const index = new PaperIndex(corpus.papers, indexOptions(this.options, corpus.papersFingerprint));
    return { index, problems: corpus.problems };
  }

  /**
   * The same through the reload worker; undefined when it is not used or broke (then logged).
   * Only reading the papers' snapshot (or taking them a chunk per turn) and opening the saved index
   * (or wrapping the engine's bytes) happen on the main thread.
   */
  private async reloadOffThread(
    extra: PaperRecord[],
  ): Promise<{ index: PaperIndex; problems: DataProblem[] } | undefined> {
    const { engine, indexCachePath, logger, reloadWorker } = this.options;
    if (engine || reloadWorker === false) return undefined;
    const request = { path: this.path, indexCachePath, extra, problemsNow: this.problems.length };
    this.worker = reloadInWorker(request, reloadWorker);
    let done: Awaited<RunningReload["result"]>;
    try {
      done = await this.worker.result;
    } catch (error) {
      if (!(error instanceof ReloadWorkerError) || this.closed) throw error;
      logger.warn(`the reload worker failed (${error.message}); reloading on the main thread instead`);
      return undefined;
    } finally {
      this.worker = undefined;
    }
    if ("snapshot" in done && done.snapshot) logSnapshot(logger, done.snapshot);
    if (done.kind !== "built") throw new Error(done.message);
    if (done.index) logIndexCache(logger, done.index);
    // What is left for the main thread, in short turns of the event loop so requests get answered
    // between them: opening the index the worker saved (as at start: read as queries use it) or its
    // bytes (our own worker's: no CRC; views, nothing decoded), then the papers by id, a slice at a time.
    const { papers, problems } = done.corpus;
    const saved = done.bytes
      ? openSavedIndex(done.bytes, { trusted: true })
      : openSavedIndexFile(indexCachePath as string);
    if (saved.docCount !== papers.length || (done.fingerprint && saved.fingerprint !== done.fingerprint)) {
      logger.warn(
        `the index the reload worker saved was replaced by another process; reloading on the main thread instead`,
      );
      return undefined;
    }
    await saved.preload();
    // Each paper's id, as the engine's fields take them, a slice per turn.
    for (let start = 0; start < papers.length; start += ID_SLICE) {
      for (const paper of papers.slice(start, start + ID_SLICE)) void paper.id;
      await nextTurn();
    }
    await afterTimers();
    // The word vectors are read on the first question, as at start.
    const restored = saved.engine(shortFieldsOf(paperSource(papers)), sharedWordVectors);
    await afterTimers();
    const index = await PaperIndex.inSlices(papers, { engine: () => restored, logger });
    return { index, problems };
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
    this.closed = true;
    this.worker?.stop();
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
