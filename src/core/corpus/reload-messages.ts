/** What the reload worker tells the main thread (see reload-worker.ts). */
import type { DataProblem } from "../errors.ts";
import type { Paper } from "../paper.ts";
import type { IndexCacheOutcome } from "../search/persist.ts";
import type { SnapshotOutcome } from "./corpus-cache.ts";
import type { SkippedFile } from "./load-corpus.ts";

export type FromReloadWorker =
  /**
   * Instead of papers: the corpus snapshot holding them, for the main thread to read (nothing in
   * it is decoded; a worker's open files close when it ends). `papersFingerprint` says which papers.
   */
  | { kind: "snapshot"; path: string; papersFingerprint: string }
  /** The next papers, in corpus order; the main thread answers with any message for more. */
  | { kind: "papers"; papers: Paper[] }
  | {
      kind: "built";
      problems: DataProblem[];
      files: string[];
      skipped: SkippedFile[];
      snapshot?: SnapshotOutcome;
      index?: IndexCacheOutcome;
      /** The serialized engine (persist.ts), transferred; absent when saved at the index cache path. */
      bytes?: ArrayBuffer;
      /** Of the papers the engine was made from. */
      fingerprint?: string;
    }
  /** Read, but it must not replace the corpus serving now. */
  | { kind: "refused"; message: string; snapshot?: SnapshotOutcome }
  /** The path could not be read. */
  | { kind: "failed"; message: string };
