/**
 * Whether the compiled JavaScript in dist/ (what `npm start` and `npx paperbot` run) exists and was
 * built from the sources as they are now. Plain JavaScript without dependencies: it runs before
 * anything is built. Costs a few milliseconds (one stat per source file and folder).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const BUILD_DIR = "dist";
export const STAMP_FILE = ".build-stamp.json";
/** What the build compiles, and what its output depends on. */
const SOURCES = ["src", "commands", "tsconfig.json", "tsconfig.build.json"];

export const NOT_BUILT =
  "paperbot is not built (dist/ is missing): run `npm run build` (npm ci and npm install run it, unless scripts are turned off)";

export function staleWarning(changed) {
  return `paperbot: ${changed} changed after the last build, so this runs the previous build; run \`npm run build\` to use the change`;
}

/**
 * The most recently modified source file; `mtimeMs` is 0 when there are none (an installed copy
 * without sources). Folders are left out: unpacking a package creates them anew, and a file removed
 * or renamed changes the files that imported it.
 */
export function newestSource(root) {
  const newest = { path: "", mtimeMs: 0 };
  const visit = (path) => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return;
    }
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else if (stats.mtimeMs > newest.mtimeMs) {
      newest.path = path;
      newest.mtimeMs = stats.mtimeMs;
    }
  };
  for (const source of SOURCES) visit(join(root, source));
  return { path: relative(root, newest.path), mtimeMs: newest.mtimeMs };
}

/** Reads the stamp the build wrote, or undefined when there is no complete build. */
export function readStamp(root) {
  try {
    const stamp = JSON.parse(readFileSync(join(root, BUILD_DIR, STAMP_FILE), "utf8"));
    return typeof stamp?.newestSourceMs === "number" ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `{ kind: "missing" }`, `{ kind: "stale", changed }` (a source path relative to `root`) or
 * `{ kind: "fresh" }`. Compared with the newest source the build saw rather than with the clock,
 * so files with future times (a skewed clock, an unpacked archive) do not warn forever.
 */
export function buildState(root) {
  const stamp = readStamp(root);
  if (!stamp) return { kind: "missing" };
  const newest = newestSource(root);
  return newest.mtimeMs > stamp.newestSourceMs ? { kind: "stale", changed: newest.path } : { kind: "fresh" };
}
