/**
 * The expensive half of a reload, run in the reload worker: read the corpus (through its snapshot
 * when there is an index cache), check it against the one serving now, build or reuse the search
 * engine and save it, for the main thread to open as at start; without an index cache (or when
 * saving failed) hand back its bytes, which the main thread wraps without copying.
 */
import { PaperEngine } from "../search/paper-engine.ts";
import { paperSource } from "../search/paper-source.ts";
import { type IndexCacheOutcome, loadOrBuildPaperEngine, serializeEngine } from "../search/persist.ts";
import {
  type CachedCorpus,
  loadCachedCorpus,
  type SnapshotOutcome,
  snapshotPathFor,
} from "./corpus-cache.ts";
import { type Corpus, loadCorpus } from "./load-corpus.ts";
import { problemLines } from "./problem-summary.ts";
import type { PaperRecord } from "./record.ts";

export interface ReloadRequest {
  path: string;
  indexCachePath?: string;
  /** Papers from arXiv, read on the main thread (the state database lives there). */
  extra: PaperRecord[];
  /** Problems of the corpus serving now: a reload with more is refused. */
  problemsNow: number;
}

/** Why a freshly read corpus must not replace the one serving now; undefined when it may. */
export function reloadRefusal(
  corpus: Pick<Corpus, "papers" | "problems">,
  problemsNow: number,
): string | undefined {
  if (corpus.papers.length === 0) return "no papers found";
  if (corpus.problems.length > problemsNow) {
    const problems = problemLines(corpus.problems).join("; ");
    return `the data now has ${corpus.problems.length} problem(s) (was ${problemsNow}): ${problems}`;
  }
  return undefined;
}

export type ReloadBuild =
  | { kind: "refused"; message: string; snapshot?: SnapshotOutcome }
  | {
      kind: "built";
      corpus: Corpus & Partial<Pick<CachedCorpus, "shelf" | "papersFingerprint">>;
      snapshot?: SnapshotOutcome;
      index?: IndexCacheOutcome;
      /**
       * The engine, serialized (see persist.ts), unless it is saved at the index cache path: the
       * main thread then opens that file, reading it as queries use it, as at start.
       */
      bytes?: Uint8Array;
      /** Of the papers the engine was made from, to check the saved file is still theirs. */
      fingerprint?: string;
    };

/** Throws only when the path itself cannot be read, as `loadCorpus` does. */
export async function buildReload(request: ReloadRequest): Promise<ReloadBuild> {
  const { path, indexCachePath, extra, problemsNow } = request;
  const cached = indexCachePath
    ? await loadCachedCorpus(path, extra, snapshotPathFor(indexCachePath))
    : undefined;
  const corpus: Corpus = cached ?? (await loadCorpus(path, extra));
  const snapshot = cached?.snapshot;
  const refusal = reloadRefusal(corpus, problemsNow);
  if (refusal) {
    cached?.shelf?.close();
    return { kind: "refused", message: refusal, snapshot };
  }
  const source = paperSource(corpus.papers);
  if (!indexCachePath) {
    const engine = PaperEngine.fromSource(source);
    return { kind: "built", corpus, snapshot, bytes: serializeEngine(engine) };
  }
  const fingerprint = cached?.papersFingerprint;
  const checked = fingerprint ? { ...source, fingerprint: () => fingerprint } : source;
  const { engine, outcome } = loadOrBuildPaperEngine(checked, indexCachePath);
  // Not saved (say, a full disk): the engine travels as bytes.
  const bytes = outcome.saveError ? serializeEngine(engine) : undefined;
  return { kind: "built", corpus, snapshot, index: outcome, bytes, fingerprint: checked.fingerprint() };
}
