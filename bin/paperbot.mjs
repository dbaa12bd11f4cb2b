#!/usr/bin/env node
// Entry for `npx paperbot ...`: runs the compiled CLI (dist/, made by `npm run build`, which npm ci
// runs) in this process, from any working directory. The current directory is kept (paths the user
// sets are relative to it); the CLI resolves its defaults (data/, paperbot.db) against the
// installation folder.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildState, NOT_BUILT, staleWarning } from "../scripts/build-state.mjs";

const root = join(import.meta.dirname, "..");
const args = process.argv.slice(2);
const state = buildState(root);
if (state.kind === "missing") {
  // --json callers get the error shape every other failure has.
  if (args.includes("--json"))
    process.stdout.write(`${JSON.stringify({ error: { code: "not_built", message: NOT_BUILT } })}\n`);
  else process.stderr.write(`${NOT_BUILT}\n`);
  process.exit(1);
}
if (state.kind === "stale") process.stderr.write(`${staleWarning(state.changed)}\n`);

const compiled = (path) => import(pathToFileURL(join(root, "dist", "src", path)).href);
const [{ runCli }, { readEnvironment }] = await Promise.all([compiled("cli.js"), compiled("config.js")]);
process.exitCode = await runCli(
  args,
  {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  },
  readEnvironment(),
);
