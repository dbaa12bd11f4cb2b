/**
 * Preloaded by the npm scripts (`node --import ./scripts/check-build.mjs dist/src/main.js`) before
 * the compiled entry point loads: with nothing built it stops with one line saying what to run
 * instead of a module-not-found stack, and after a source was edited it says that the previous
 * build is what runs, so old code never runs unannounced.
 */
import { join } from "node:path";
import { buildState, NOT_BUILT, staleWarning } from "./build-state.mjs";

const state = buildState(join(import.meta.dirname, ".."));
if (state.kind === "missing") {
  process.stderr.write(`${NOT_BUILT}\n`);
  process.exit(1);
}
if (state.kind === "stale") process.stderr.write(`${staleWarning(state.changed)}\n`);
