#!/usr/bin/env node
// Entry for `npx paperbot ...`: runs the TypeScript CLI through tsx, from any working directory.
// The current directory is kept (paths the user sets are relative to it); the CLI resolves its
// defaults (data/, paperbot.db) against the installation folder, and tsx compiles with the
// installation's tsconfig.json rather than whatever tsconfig the current folder may hold.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const result = spawnSync(process.execPath, [tsx, join(root, "src/cli.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json") },
});
process.exit(result.status ?? 1);
