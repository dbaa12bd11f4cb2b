// Starts the build helper from the TypeScript sources (vitest, tsx): on Node 20 a worker thread
// inherits neither tsx's loader nor `--import tsx`, so it registers tsx itself.
// Compiled builds start dist/.../build-helper.js directly and never load this file.
import { register } from "tsx/esm/api";

register();
await import("./build-helper.ts");
