/**
 * The main thread's side of a reload in a worker thread: starts reload-worker (compiled .js under
 * dist/, the TypeScript source through tsx under vitest and tsx), reads the papers from the corpus
 * snapshot the worker names (or takes them a chunk per turn of the event loop when there is none)
 * and the engine's bytes last. Rejects with ReloadWorkerError when the
 * worker cannot start or dies before answering.
 */
import { Worker } from "node:worker_threads";
import type { Paper } from "../paper.ts";
import type { ReloadBuild, ReloadRequest } from "./reload-build.ts";
import type { FromReloadWorker } from "./reload-messages.ts";
import { readCorpusSnapshot } from "./snapshot-format.ts";

/** What the worker built or refused (as buildReload answers), or why the path could not be read. */
export type WorkerReload = ReloadBuild | { kind: "failed"; message: string };

/** The worker could not start, or stopped before answering. */
export class ReloadWorkerError extends Error {}

/** The worker beside this file: compiled .js under dist/, else the sources through tsx (reload-worker-ts.mjs). */
export const RELOAD_WORKER_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./reload-worker-ts.mjs" : "./reload-worker.js",
  import.meta.url,
);

export interface RunningReload {
  result: Promise<WorkerReload>;
  /** Stops the worker; `result` then rejects. */
  stop(): void;
}

export function reloadInWorker(request: ReloadRequest, workerUrl: URL = RELOAD_WORKER_URL): RunningReload {
  let worker: Worker;
  try {
    worker = new Worker(workerUrl, { workerData: request });
  } catch (error) {
    const failed = Promise.reject(new ReloadWorkerError((error as Error).message));
    return { result: failed, stop: () => {} };
  }
  const result = new Promise<WorkerReload>((resolve, reject) => {
    const papers: Paper[] = [];
    let fromSnapshot: Promise<Paper[]> | undefined;
    let settled = false;
    /** The worker is done (and may stop) once it has sent what it built. */
    let answered = false;
    const settle = (outcome: WorkerReload) => {
      settled = true;
      resolve(outcome);
      void worker.terminate();
    };
    worker.on("message", async (message: FromReloadWorker) => {
      switch (message.kind) {
        case "snapshot": {
          const { path, papersFingerprint } = message;
          fromSnapshot = readCorpusSnapshot(path).then((read) => {
            if (read?.papersFingerprint !== papersFingerprint)
              throw new Error("it was replaced by one of other papers");
            return read.papers;
          });
          // Settled when "built" arrives.
          fromSnapshot.catch(() => {});
          return;
        }
        case "papers":
          for (const paper of message.papers) papers.push(paper);
          // The next chunk arrives on a later turn of the event loop: requests are answered in between.
          setImmediate(() => worker.postMessage("more"));
          return;
        case "built": {
          answered = true;
          const { bytes, snapshot, index, ...rest } = message;
          let served = papers;
          if (fromSnapshot) {
            try {
              served = await fromSnapshot;
            } catch (error) {
              fail(`the corpus snapshot it saved could not be read: ${(error as Error).message}`);
              return;
            }
          }
          settle({
            kind: "built",
            corpus: { papers: served, ...rest },
            snapshot,
            index,
            bytes: bytes && new Uint8Array(bytes),
          });
          return;
        }
        default:
          settle(message);
      }
    });
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      reject(new ReloadWorkerError(why));
      void worker.terminate();
    };
    worker.on("error", (error) => fail(error.message));
    worker.on("messageerror", (error) => fail(`a message could not be read: ${error.message}`));
    worker.on("exit", (code) => {
      if (!answered) fail(`it stopped (exit code ${code}) before answering`);
    });
  });
  return { result, stop: () => void worker.terminate() };
}
