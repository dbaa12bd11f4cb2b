/**
 * `npm run build`: compiles src/ and commands/ to JavaScript in dist/ with tsc (tsconfig.build.json),
 * then writes the stamp build-state.mjs compares the sources with. `npm ci` and `npm install` run it
 * through "prepare", `npm test` before testing. `--if-stale` builds only when a source changed.
 *
 * The build only transpiles (noCheck): type errors are the type check's to report (`npm test`), as
 * they were when tsx ran the sources. Builds take a lock file, so callers in parallel (test workers)
 * build once and the others wait for that build.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BUILD_DIR, buildState, newestSource, STAMP_FILE } from "./build-state.mjs";

const root = join(import.meta.dirname, "..");
const lockPath = join(root, BUILD_DIR, ".build-lock");
/** A lock this old is from a build that cannot still be running. */
const ABANDONED_LOCK_MS = 5 * 60_000;

function holderIsGone() {
  try {
    const { pid, since } = JSON.parse(readFileSync(lockPath, "utf8"));
    if (Date.now() - since > ABANDONED_LOCK_MS) return true;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ESRCH: the holder died (e.g. Ctrl-C during `npm ci`). ENOENT: released meanwhile. EPERM: alive.
    return error.code !== "EPERM";
  }
}

async function lock() {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (;;) {
    try {
      writeFileSync(lockPath, JSON.stringify({ pid: process.pid, since: Date.now() }), { flag: "wx" });
      return;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    if (holderIsGone()) rmSync(lockPath, { force: true });
    else await sleep(100);
  }
}

/** tsc from the installed typescript, or undefined when dev dependencies were left out. */
function findTsc() {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
  } catch {
    return undefined;
  }
}

function compile(tsc) {
  return spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
}

function writeStamp(newest) {
  const stamp = join(root, BUILD_DIR, STAMP_FILE);
  // Written whole then renamed, so a start never reads half a stamp.
  writeFileSync(
    `${stamp}.tmp`,
    `${JSON.stringify({ newestSourceMs: newest.mtimeMs, newestSource: newest.path })}\n`,
  );
  renameSync(`${stamp}.tmp`, stamp);
}

/** Builds (under the lock) unless `ifStale` and the build is fresh; resolves with the exit code. */
async function build(ifStale) {
  // Checked before locking too: a fresh build costs no write (an installation may be read-only).
  if (ifStale && buildState(root).kind === "fresh") return 0;
  const tsc = findTsc();
  if (!tsc) {
    // `npm ci --omit=dev` over a dist/ built earlier (e.g. in a Docker build stage) keeps that build.
    if (buildState(root).kind === "fresh") return 0;
    process.stderr.write(
      "paperbot build: typescript is not installed (dev dependencies left out?); run `npm ci` with them, or build where they are and copy dist/\n",
    );
    return 1;
  }
  await lock();
  try {
    if (ifStale && buildState(root).kind === "fresh") return 0;
    // Taken before compiling, so a source edited during the build still counts as newer than it.
    const newest = newestSource(root);
    const started = performance.now();
    const result = compile(tsc);
    if (result.status !== 0) {
      if (result.error) process.stderr.write(`paperbot build: could not run tsc (${result.error.message})\n`);
      return result.status ?? 1;
    }
    writeStamp(newest);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`paperbot build: compiled src/ and commands/ to ${BUILD_DIR}/ in ${seconds} s\n`);
    return 0;
  } finally {
    rmSync(lockPath, { force: true });
  }
}

process.exitCode = await build(process.argv.includes("--if-stale"));
