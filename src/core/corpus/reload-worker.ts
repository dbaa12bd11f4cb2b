/**
 * The reload worker's entry (see worker-reload.ts for the main thread's side): builds the reload
 * off the main thread, then says which corpus snapshot holds the papers or, without one, sends
 * them a chunk at a time, each chunk only when the main thread asks for it, so decoding them never
 * stalls the bot for long; the engine's bytes, when it is not saved, go last, transferred, not copied.
 */
import { parentPort, workerData } from "node:worker_threads";
import { buildReload, type ReloadRequest } from "./reload-build.ts";
import type { FromReloadWorker } from "./reload-messages.ts";

/** Papers per message: a few milliseconds of decoding on the main thread (1,000 took 30-60 ms at 100k). */
const PAPERS_PER_MESSAGE = 250;

const port = parentPort;
if (!port) throw new Error("reload-worker.ts runs only as a worker thread");
const send = (message: FromReloadWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const asked = () => new Promise<void>((resolve) => port.once("message", () => resolve()));

/** The bytes in an ArrayBuffer of their own, so they can be transferred whole. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
    return bytes.buffer as ArrayBuffer;
  return bytes.slice().buffer as ArrayBuffer;
}

try {
  const built = await buildReload(workerData as ReloadRequest);
  if (built.kind === "refused") send(built);
  else {
    const { papers, problems, files, skipped, shelf, papersFingerprint } = built.corpus;
    // Papers from the snapshot are read there by the main thread too (cheaply: nothing is decoded).
    if (shelf && papersFingerprint) send({ kind: "snapshot", path: shelf.path, papersFingerprint });
    else {
      for (let start = 0; start < papers.length; start += PAPERS_PER_MESSAGE) {
        send({ kind: "papers", papers: papers.slice(start, start + PAPERS_PER_MESSAGE) });
        await asked();
      }
    }
    const bytes = built.bytes && ownBuffer(built.bytes);
    const { snapshot, index, fingerprint } = built;
    send(
      { kind: "built", problems, files, skipped, snapshot, index, bytes, fingerprint },
      bytes ? [bytes] : [],
    );
  }
} catch (error) {
  // The path cannot be read: a failed reload, not a broken worker.
  send({ kind: "failed", message: (error as Error).message });
}
