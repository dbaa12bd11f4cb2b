/**
 * A copy of the installation in a temporary folder, as `npm ci` leaves it but with tsx missing from
 * node_modules: whatever production runs must work there, so a start that still needed the tsx
 * loader fails instead of passing quietly. Packages are linked from the repository's node_modules.
 *
 * `recorder` makes every node process started with its env (npm itself, the bot, each shard) append
 * its argv and execArgv to a file, through NODE_OPTIONS, which each child process inherits.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempFolder } from "./processes.ts";

export interface CopyOptions {
  /** Copy dist/ (the build, made fresh by importing compiled.ts). */
  built: boolean;
  /** Copy src/, commands/ and the tsconfig files, so the copy can build and see its sources change. */
  sources?: boolean;
}

export function installCopy({ built, sources = false }: CopyOptions): string {
  const copy = tempFolder("paperbot-install-");
  const parts = ["bin", "scripts", "data", "package.json"];
  if (built) parts.push("dist");
  if (sources) parts.push("src", "commands", "tsconfig.json", "tsconfig.build.json");
  for (const part of parts) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
  mkdirSync(join(copy, "node_modules"));
  for (const name of readdirSync(join(ROOT, "node_modules"))) {
    if (name === "tsx" || name.startsWith(".")) continue;
    symlinkSync(join(ROOT, "node_modules", name), join(copy, "node_modules", name));
  }
  return copy;
}

export interface NodeProcess {
  argv: string[];
  execArgv: string[];
}

export interface Recorder {
  /** Environment that makes each node process record itself. */
  env: Record<string, string>;
  /** The node processes started so far, in start order. */
  processes: () => NodeProcess[];
}

export function recorder(): Recorder {
  const folder = tempFolder("paperbot-record-");
  const file = join(folder, "processes.jsonl");
  const preload = join(folder, "record.mjs");
  writeFileSync(file, "");
  writeFileSync(
    preload,
    `import { appendFileSync } from "node:fs";
appendFileSync(${JSON.stringify(file)}, JSON.stringify({ argv: process.argv, execArgv: process.execArgv }) + "\\n");
`,
  );
  return {
    env: { NODE_OPTIONS: `--import ${preload}` },
    processes: () =>
      readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as NodeProcess),
  };
}
