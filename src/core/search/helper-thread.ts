/**
 * A part of a build done by a helper thread (build-helper.ts) while this thread does another.
 * Building is synchronous (an engine is made inside PaperIndex's constructor, in the reload
 * worker or at start), so this thread waits for the helper on shared memory, not on the event
 * loop. The helper claims its job when it starts; a helper that has not started by the time it
 * is waited for is told not to, and the caller does the job itself, as it does when the helper
 * fails or stops making progress: the same result, only slower.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { DocTerms } from "./doc-terms.ts";
import type { IndexData } from "./inverted-index.ts";

/** state[0] of the shared state; state[1] counts the helper's progress. */
export const HelperState = { Waiting: 0, Working: 1, Done: 2, Failed: 3, TakenBack: 4 } as const;
export type HelperState = (typeof HelperState)[keyof typeof HelperState];

/** A helper that made no progress for this long is given up on. */
export const STALLED_MS = 30_000;

/** Documents to tokenize, flat: document d's fields are texts[fieldStarts[d]..fieldStarts[d + 1]). */
export interface DocumentsPart {
  texts: string[];
  weights: Float64Array;
  /** 1 where the text is LaTeX as written (see WeightedText). */
  latex: Uint8Array;
  fieldStarts: Int32Array;
}

/** The typed arrays of an index (the word lists stay with the caller, who has them). */
export type IndexArrays = Omit<IndexData, "docCount" | "terms" | "surfaces" | "surfaceTerm" | "pager">;

export type HelperJob = { kind: "tokenize"; part: DocumentsPart } | { kind: "index"; tokens: DocTerms };
export type HelperAnswer = { tokens: DocTerms } | { index: IndexArrays } | { error: string };

/** The helper beside this file: compiled .js under dist/, else the sources through tsx. */
export const BUILD_HELPER_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./build-helper-ts.mjs" : "./build-helper.js",
  import.meta.url,
);

/** How long to wait for a helper. */
export interface Patience {
  /** For a helper that has not started yet, once it is waited for. */
  startWaitMs: number;
  /** For a helper that makes no progress (default STALLED_MS). */
  stalledMs?: number;
}

export interface HelperOutcome {
  answer?: Exclude<HelperAnswer, { error: string }>;
  /** Why the helper gave no answer. */
  problem?: string;
}

export interface Helper {
  /** Waits for the helper's answer; the helper is stopped after. */
  answer(patience: Patience): HelperOutcome;
}

export function startHelper(job: HelperJob, url: URL = BUILD_HELPER_URL): Helper {
  const state = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(url, { workerData: { job, state, port: port2 }, transferList: [port2] });
  } catch (error) {
    port1.close();
    return { answer: () => ({ problem: `the helper thread could not start: ${(error as Error).message}` }) };
  }
  worker.unref();
  // What the helper did is read from the shared state; a failed start is seen there as "never claimed".
  worker.on("error", () => {});
  return {
    answer: (patience) => {
      try {
        return waitForHelper(state, port1, patience);
      } finally {
        port1.close();
        void worker.terminate();
      }
    },
  };
}

function waitForHelper(
  state: Int32Array,
  port: MessagePort,
  { startWaitMs, stalledMs = STALLED_MS }: Patience,
): HelperOutcome {
  const giveUpAt = performance.now() + startWaitMs;
  while (Atomics.load(state, 0) === HelperState.Waiting && performance.now() < giveUpAt)
    Atomics.wait(state, 0, HelperState.Waiting, giveUpAt - performance.now());
  if (Atomics.compareExchange(state, 0, HelperState.Waiting, HelperState.TakenBack) === HelperState.Waiting)
    return { problem: `the helper thread had not started after ${Math.round(startWaitMs)} ms` };
  let progress = Atomics.load(state, 1);
  let progressAt = performance.now();
  for (;;) {
    const now = Atomics.load(state, 0);
    if (now === HelperState.Done || now === HelperState.Failed) break;
    Atomics.wait(state, 0, now, Math.min(1000, stalledMs));
    const made = Atomics.load(state, 1);
    if (made !== progress) {
      progress = made;
      progressAt = performance.now();
    } else if (performance.now() - progressAt > stalledMs)
      return { problem: "the helper thread stopped making progress" };
  }
  const answer = receiveMessageOnPort(port)?.message as HelperAnswer | undefined;
  if (!answer) return { problem: "the helper thread's answer was lost" };
  return "error" in answer ? { problem: `the helper thread failed: ${answer.error}` } : { answer };
}
