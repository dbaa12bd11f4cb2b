/**
 * Building on two cores when there are enough documents (and the bot is not serving meanwhile,
 * see buildInParallel): a helper thread (helper-thread.ts)
 * tokenizes the second half of the documents while this thread tokenizes the first (the halves
 * concatenate into exactly what one pass makes: doc-terms.ts), then builds the inverted index
 * while this thread computes the meaning data. Whatever the helper does not do, this thread does:
 * the result is the same either way.
 */
import { availableParallelism } from "node:os";
import { isMainThread } from "node:worker_threads";
import { IN_MEMORY } from "../typed-file.ts";
import { concatDocTerms, type DocTerms, tokenizeDocs, type WeightedText } from "./doc-terms.ts";
import { type DocumentsPart, type Helper, startHelper } from "./helper-thread.ts";
import { type IndexData, indexDocTerms } from "./inverted-index.ts";
import { buildMeaning, type MeaningData } from "./semantic/meaning-index.ts";
import type { WordVectors } from "./semantic/word-vectors.ts";

/** Below this many documents a helper's start-up (tens of milliseconds, more under tsx) is not worth it. */
export const PARALLEL_MIN_DOCS = 20_000;
/** How long a helper not yet started is waited for, at least (longer when this thread's own part took longer). */
const START_WAIT_MS = 3000;

export interface ParallelBuildOptions {
  /** Fewer documents are built in this thread alone (default PARALLEL_MIN_DOCS). */
  minDocs?: number;
  /** How long a helper not yet started is waited for (default: START_WAIT_MS, or this thread's own part's time). */
  startWaitMs?: number;
  /** A helper making no progress for this long is given up on (default STALLED_MS). */
  stalledMs?: number;
  helperUrl?: URL;
}

export interface ParallelBuild {
  index: IndexData;
  /** Built when word vectors were given. */
  meaning?: MeaningData;
  /** The parts a helper thread did. */
  helped: ("tokenize" | "index")[];
  /** Why a helper that was started did not help. */
  problems: string[];
}
type Notes = Pick<ParallelBuild, "helped" | "problems">;

export function buildInParallel(
  docCount: number,
  docFields: (doc: number) => WeightedText[],
  vectors: WordVectors | undefined,
  options: ParallelBuildOptions = {},
): ParallelBuild {
  const minDocs = Math.max(2, options.minDocs ?? PARALLEL_MIN_DOCS);
  // A build in a worker thread is a reload while the bot serves: it leaves the other core to the
  // bot, whose event loop must not stall.
  if (docCount < minDocs || availableParallelism() < 2 || !isMainThread) {
    const tokens = tokenizeDocs(docCount, docFields);
    const meaning = vectors && buildMeaning(tokens, vectors);
    return { index: indexDocTerms(tokens), meaning, helped: [], problems: [] };
  }
  const notes: Notes = { helped: [], problems: [] };
  const tokens = tokenizeInTwo(docCount, docFields, options, notes);
  if (!vectors) return { ...notes, index: indexDocTerms(tokens) };
  // The helper reads the entries where they are (shared memory: see concatDocTerms).
  const indexing = startHelper({ kind: "index", tokens }, options.helperUrl);
  const started = performance.now();
  const meaning = buildMeaning(tokens, vectors);
  const indexed = wait(indexing, started, options, "index", notes);
  if (!indexed || !("index" in indexed)) return { ...notes, index: indexDocTerms(tokens), meaning };
  const { terms, surfaces, surfaceTerm } = tokens;
  const index = { ...indexed.index, docCount, terms, surfaces, surfaceTerm, pager: IN_MEMORY };
  return { ...notes, index, meaning };
}

function tokenizeInTwo(
  docCount: number,
  docFields: (doc: number) => WeightedText[],
  options: ParallelBuildOptions,
  notes: Notes,
): DocTerms {
  const split = Math.ceil(docCount / 2);
  const tailCount = docCount - split;
  const tailFields = (doc: number) => docFields(split + doc);
  const helper = startHelper({ kind: "tokenize", part: partOf(tailCount, tailFields) }, options.helperUrl);
  const started = performance.now();
  const head = tokenizeDocs(split, docFields);
  const answer = wait(helper, started, options, "tokenize", notes);
  const tail = answer && "tokens" in answer ? answer.tokens : tokenizeDocs(tailCount, tailFields);
  return concatDocTerms(head, tail);
}

/** The helper's answer, noting whether it helped; `since`: when this thread began its own part. */
function wait(
  helper: Helper,
  since: number,
  options: ParallelBuildOptions,
  part: ParallelBuild["helped"][number],
  notes: Notes,
) {
  const { answer, problem } = helper.answer({
    startWaitMs: options.startWaitMs ?? Math.max(START_WAIT_MS, performance.now() - since),
    stalledMs: options.stalledMs,
  });
  if (answer) notes.helped.push(part);
  if (problem) notes.problems.push(`${part}: ${problem}`);
  return answer;
}

function partOf(docCount: number, docFields: (doc: number) => WeightedText[]): DocumentsPart {
  const texts: string[] = [];
  const weights: number[] = [];
  const latex: number[] = [];
  const fieldStarts = new Int32Array(docCount + 1);
  for (let doc = 0; doc < docCount; doc++) {
    for (const field of docFields(doc)) {
      texts.push(field.text);
      weights.push(field.weight);
      latex.push(field.latex ? 1 : 0);
    }
    fieldStarts[doc + 1] = texts.length;
  }
  return { texts, weights: Float64Array.from(weights), latex: Uint8Array.from(latex), fieldStarts };
}
