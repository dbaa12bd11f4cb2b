// Starts the reload worker from the TypeScript sources (vitest, tsx): on Node 20 a worker thread
// inherits neither tsx's loader nor `--import tsx` in execArgv, so it registers tsx itself.
// Compiled builds start dist/.../reload-worker.js directly and never load this file.
import { register } from "tsx/esm/api";

register();
await import("./reload-worker.ts");
