/**
 * The build helper's entry (see helper-thread.ts for the other side): claims its job, unless the
 * thread that started it has taken it back, does it, counting progress in shared memory as it
 * goes, and answers through its port, the arrays transferred, not copied.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import { tokenizeDocs } from "./doc-terms.ts";
import type { HelperAnswer, HelperJob } from "./helper-thread.ts";
import { HelperState } from "./helper-thread.ts";
import { indexDocTerms } from "./inverted-index.ts";

/** Documents tokenized per step of progress. */
const DOCS_PER_STEP = 256;

const { job, state, port } = workerData as { job: HelperJob; state: Int32Array; port: MessagePort };
const step = () => void Atomics.add(state, 1, 1);

function answer(message: HelperAnswer, transfer: ArrayBufferLike[], done: HelperState): void {
  port.postMessage(message, transfer as ArrayBuffer[]);
  Atomics.store(state, 0, done);
  Atomics.notify(state, 0);
  port.close();
}

function run(job: HelperJob): { message: HelperAnswer; transfer: ArrayBufferLike[] } {
  if (job.kind === "tokenize") {
    const { texts, weights, latex, fieldStarts } = job.part;
    const tokens = tokenizeDocs(fieldStarts.length - 1, (doc) => {
      if (doc % DOCS_PER_STEP === 0) step();
      const fields = [];
      for (let f = fieldStarts[doc] as number; f < (fieldStarts[doc + 1] as number); f++)
        fields.push({ text: texts[f] as string, weight: weights[f] as number, latex: latex[f] === 1 });
      return fields;
    });
    const { surfaceTerm, entryOffsets, entryTerms, entryTf, docLength } = tokens;
    return {
      message: { tokens },
      transfer: [surfaceTerm, entryOffsets, entryTerms, entryTf, docLength].map((a) => a.buffer),
    };
  }
  const { docCount, terms, surfaces, surfaceTerm, pager, ...index } = indexDocTerms(job.tokens, step);
  return { message: { index }, transfer: Object.values(index).map((a) => a.buffer) };
}

if (Atomics.compareExchange(state, 0, HelperState.Waiting, HelperState.Working) === HelperState.Waiting) {
  Atomics.notify(state, 0);
  try {
    const { message, transfer } = run(job);
    answer(message, transfer, HelperState.Done);
  } catch (error) {
    answer({ error: (error as Error).message }, [], HelperState.Failed);
  }
}
