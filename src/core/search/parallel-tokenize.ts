/**
 * Tokenizing on two cores: a helper thread (tokenize-worker.ts) tokenizes the second half of the
 * documents while this thread tokenizes the first, and the halves concatenate into exactly what
 * one pass makes (doc-terms.ts). Building is synchronous (an engine is made inside PaperIndex's
 * constructor, in the reload worker or at start), so this thread waits for the helper on shared
 * memory, not on the event loop. Should the helper not start in time, fail, or stop making
 * progress, this thread tokenizes that half itself: the same result, only slower.
 */
import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { concatDocTerms, type DocTerms, tokenizeDocs, type WeightedText } from "./doc-terms.ts";

/** Below this many documents a helper's start-up (tens of milliseconds, more under tsx) is not worth it. */
export const PARALLEL_MIN_DOCS = 20_000;
/** The helper counts a step of progress every this many documents. */
export const PROGRESS_EVERY = 256;
/** A helper that made no progress for this long is given up on. */
export const STALLED_MS = 30_000;
/** How long a helper not yet started is waited for, at least (longer when this thread's half took longer). */
const START_WAIT_MS = 3000;

/** state[0] of the shared state; state[1] counts progress. */
export const HelperState = { Waiting: 0, Working: 1, Done: 2, Failed: 3, TakenBack: 4 } as const;
export type HelperState = (typeof HelperState)[keyof typeof HelperState];

/** The helper's documents, flat: document d's fields are texts[fieldStarts[d]..fieldStarts[d + 1]). */
export interface HelperPart {
  texts: string[];
  weights: Float64Array;
  fieldStarts: Int32Array;
}
export type HelperAnswer = { tokens: DocTerms } | { error: string };

/** The helper beside this file: compiled .js under dist/, else the sources through tsx. */
export const TOKENIZE_WORKER_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./tokenize-worker-ts.mjs" : "./tokenize-worker.js",
  import.meta.url,
);

export interface ParallelTokenizeOptions {
  /** Fewer documents are tokenized in this thread alone (default PARALLEL_MIN_DOCS). */
  minDocs?: number;
  /** How long a helper not yet started is waited for once this thread's half is done (default: see START_WAIT_MS). */
  startWaitMs?: number;
  /** A helper making no progress for this long is given up on (default STALLED_MS). */
  stalledMs?: number;
  workerUrl?: URL;
}

export interface TokenizeOutcome {
  tokens: DocTerms;
  /** Whether a helper thread tokenized part of the documents. */
  helped: boolean;
  /** Why a helper that was started did not help. */
  problem?: string;
}

export function tokenizeInParallel(
  docCount: number,
  docFields: (doc: number) => WeightedText[],
  options: ParallelTokenizeOptions = {},
): TokenizeOutcome {
  const minDocs = Math.max(2, options.minDocs ?? PARALLEL_MIN_DOCS);
  if (docCount < minDocs || availableParallelism() < 2)
    return { tokens: tokenizeDocs(docCount, docFields), helped: false };
  const split = Math.ceil(docCount / 2);
  const tailCount = docCount - split;
  const tailFields = (doc: number) => docFields(split + doc);
  const helper = startHelper(partOf(tailCount, tailFields), options.workerUrl ?? TOKENIZE_WORKER_URL);
  const headStart = performance.now();
  const head = tokenizeDocs(split, docFields);
  const answer = helper.answer({
    startWaitMs: options.startWaitMs ?? Math.max(START_WAIT_MS, performance.now() - headStart),
    stalledMs: options.stalledMs ?? STALLED_MS,
  });
  const tail = answer.tokens ?? tokenizeDocs(tailCount, tailFields);
  return { tokens: concatDocTerms(head, tail), helped: answer.tokens !== undefined, problem: answer.problem };
}

function partOf(docCount: number, docFields: (doc: number) => WeightedText[]): HelperPart {
  const texts: string[] = [];
  const weights: number[] = [];
  const fieldStarts = new Int32Array(docCount + 1);
  for (let doc = 0; doc < docCount; doc++) {
    for (const field of docFields(doc)) {
      texts.push(field.text);
      weights.push(field.weight);
    }
    fieldStarts[doc + 1] = texts.length;
  }
  return { texts, weights: Float64Array.from(weights), fieldStarts };
}

interface HelperResult {
  tokens?: DocTerms;
  problem?: string;
}

interface Patience {
  startWaitMs: number;
  stalledMs: number;
}

function startHelper(part: HelperPart, url: URL): { answer(patience: Patience): HelperResult } {
  const state = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(url, { workerData: { part, state, port: port2 }, transferList: [port2] });
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
  { startWaitMs, stalledMs }: Patience,
): HelperResult {
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
  return "tokens" in answer
    ? { tokens: answer.tokens }
    : { problem: `the helper thread failed: ${answer.error}` };
}
