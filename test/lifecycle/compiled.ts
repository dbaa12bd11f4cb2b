/**
 * The compiled entry points production runs (relative to the repository root, as the README's
 * commands give them). Importing this module first brings dist/ up to date (`node scripts/build.mjs
 * --if-stale`: milliseconds when fresh; when a source changed, one build that parallel test files
 * wait for), so a test that spawns them runs the code as it is now, also under a bare `vitest run`.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

/** `npm start`, and the direct service command `node dist/src/main.js`. */
export const MAIN_JS = "dist/src/main.js";
/** `npm run start:sharded`. */
export const SHARDED_JS = "dist/src/adapters/discord/sharded.js";
/** `npx paperbot`: imports dist/src/cli.js in its own process. */
export const BIN = "bin/paperbot.mjs";

execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--if-stale"], {
  stdio: ["ignore", "ignore", "inherit"],
});
