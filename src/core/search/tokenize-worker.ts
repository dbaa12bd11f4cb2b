/**
 * The tokenizing helper's entry (see parallel-tokenize.ts for the other side): claims the part it
 * was given, unless the thread that started it has taken it back, tokenizes it, counting progress
 * in shared memory as it goes, and answers through its port, the arrays transferred, not copied.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import { tokenizeDocs } from "./doc-terms.ts";
import { type HelperAnswer, type HelperPart, HelperState, PROGRESS_EVERY } from "./parallel-tokenize.ts";

const { part, state, port } = workerData as { part: HelperPart; state: Int32Array; port: MessagePort };

function answer(message: HelperAnswer, transfer: ArrayBuffer[], done: HelperState): void {
  port.postMessage(message, transfer);
  Atomics.store(state, 0, done);
  Atomics.notify(state, 0);
  port.close();
}

if (Atomics.compareExchange(state, 0, HelperState.Waiting, HelperState.Working) === HelperState.Waiting) {
  Atomics.notify(state, 0);
  try {
    const { texts, weights, fieldStarts } = part;
    const tokens = tokenizeDocs(fieldStarts.length - 1, (doc) => {
      if (doc % PROGRESS_EVERY === 0) Atomics.add(state, 1, 1);
      const fields = [];
      for (let f = fieldStarts[doc] as number; f < (fieldStarts[doc + 1] as number); f++)
        fields.push({ text: texts[f] as string, weight: weights[f] as number });
      return fields;
    });
    const { surfaceTerm, entryOffsets, entryTerms, entryTf, docLength } = tokens;
    const buffers = [surfaceTerm, entryOffsets, entryTerms, entryTf, docLength].map(
      (a) => a.buffer as ArrayBuffer,
    );
    answer({ tokens }, buffers, HelperState.Done);
  } catch (error) {
    answer({ error: (error as Error).message }, [], HelperState.Failed);
  }
}
