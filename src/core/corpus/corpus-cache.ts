/**
 * Loads the corpus through its saved snapshot: when the snapshot was made from exactly these data
 * files (and papers from arXiv), a start reads one file and parses nothing; otherwise the files are
 * parsed and the snapshot saved again (best effort). A stale or damaged snapshot is never trusted.
 *
 * The data files are recognised without reading them: path as shown, size, inode, and the
 * modification and change times to the nanosecond. Any write changes the change time, which no
 * tool can set back, so an edited file never matches its old snapshot; copying the folder elsewhere
 * costs one parse.
 */
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { PAPER_DOCUMENTS_VERSION, papersFingerprint } from "../search/paper-source.ts";
import type { AbstractShelf } from "./abstract-shelf.ts";
import {
  type Corpus,
  displayPath,
  listDataFiles,
  loadListedCorpus,
  MAX_DATA_FILE_BYTES,
} from "./load-corpus.ts";
import type { PaperRecord } from "./record.ts";
import { readCorpusSnapshot, SNAPSHOT_FORMAT_VERSION, writeCorpusSnapshot } from "./snapshot-format.ts";

/**
 * Bump whenever parsing or merging changes what a data file turns into (the parsers, mergeRecords,
 * problem messages): every saved snapshot then goes stale and is rebuilt.
 */
export const CORPUS_PARSE_VERSION = 1;

/** The snapshot's place beside the saved search index. */
export const snapshotPathFor = (indexCachePath: string) => `${indexCachePath}.corpus`;

/** What happened to the snapshot at a start or reload, for the log (and the benchmark). */
export interface SnapshotOutcome {
  path: string;
  reused: boolean;
  /** Why it was not reused. */
  reason?: string;
  /** Listing and fingerprinting the files, and reading the snapshot (whether or not reused). */
  checkMs: number;
  /** Reading, parsing and merging the files, when not reused. */
  parseMs?: number;
  saveMs?: number;
  /** Saving failed; the corpus in memory is complete, the next start parses again. */
  saveError?: string;
}

export interface CachedCorpus extends Corpus {
  /** Where the papers' abstracts are read from, when the snapshot was read or saved. */
  shelf?: AbstractShelf;
  /** `papersFingerprint(papers)`, known without hashing them again when the snapshot was reused. */
  papersFingerprint: string;
  snapshot: SnapshotOutcome;
}

/** Identifies the inputs of a load: the files as they are on disk and the papers from arXiv. */
async function inputsFingerprint(
  files: readonly string[],
  extraRecords: readonly PaperRecord[],
): Promise<string> {
  const hash = createHash("sha1");
  hash.update(
    `paperbot corpus v${SNAPSHOT_FORMAT_VERSION}.${CORPUS_PARSE_VERSION}.${PAPER_DOCUMENTS_VERSION} max ${MAX_DATA_FILE_BYTES}\n`,
  );
  const stats = await Promise.all(files.map((file) => stat(file, { bigint: true }).catch(() => undefined)));
  files.forEach((file, i) => {
    const info = stats[i];
    // Problems and sources name files as shown (relative to the current folder), so that is hashed too.
    const shown = displayPath(file);
    hash.update(`${shown.length}:${shown} `);
    hash.update(info ? `${info.size} ${info.ino} ${info.mtimeNs} ${info.ctimeNs}\n` : "unreadable\n");
  });
  hash.update(`extra ${extraRecords.length}\n`);
  hash.update(JSON.stringify(extraRecords));
  return hash.digest("hex");
}

/**
 * Throws only when the path itself cannot be read, as `loadCorpus` does. The snapshot at
 * `snapshotPath` is reused when made from the same inputs, else rebuilt.
 */
export async function loadCachedCorpus(
  path: string,
  extraRecords: readonly PaperRecord[],
  snapshotPath: string,
): Promise<CachedCorpus> {
  const c0 = performance.now();
  const listing = await listDataFiles(path);
  const fingerprint = await inputsFingerprint(listing.files, extraRecords);
  let reason: string;
  try {
    const saved = await readCorpusSnapshot(snapshotPath, fingerprint);
    if (saved) {
      return {
        papers: saved.papers,
        problems: saved.problems,
        files: listing.files,
        skipped: listing.skipped,
        papersFingerprint: saved.papersFingerprint,
        shelf: saved.shelf,
        snapshot: { path: snapshotPath, reused: true, checkMs: performance.now() - c0 },
      };
    }
    reason = "the data files or the papers added from arXiv changed";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    reason =
      code === "ENOENT"
        ? "no snapshot yet"
        : code
          ? `cannot read it (${code})`
          : `it is unusable (${(error as Error).message})`;
  }
  const snapshot: SnapshotOutcome = {
    path: snapshotPath,
    reused: false,
    reason,
    checkMs: performance.now() - c0,
  };
  const p0 = performance.now();
  const corpus = await loadListedCorpus(listing, extraRecords);
  snapshot.parseMs = performance.now() - p0;
  const s0 = performance.now();
  const fingerprintOfPapers = papersFingerprint(corpus.papers);
  try {
    writeCorpusSnapshot(snapshotPath, {
      fingerprint,
      papersFingerprint: fingerprintOfPapers,
      papers: corpus.papers,
      problems: corpus.problems,
    });
    snapshot.saveMs = performance.now() - s0;
  } catch (error) {
    snapshot.saveError = (error as Error).message;
    return { ...corpus, papersFingerprint: fingerprintOfPapers, snapshot };
  }
  // Served from the snapshot, as after a restart: the parsed papers are let go. (Another process
  // may have saved it since, from other files: then these papers serve as parsed.)
  const saved = await readCorpusSnapshot(snapshotPath, fingerprint).catch(() => undefined);
  if (saved?.papersFingerprint !== fingerprintOfPapers)
    return { ...corpus, papersFingerprint: fingerprintOfPapers, snapshot };
  return {
    ...corpus,
    papers: saved.papers,
    shelf: saved.shelf,
    papersFingerprint: fingerprintOfPapers,
    snapshot,
  };
}
