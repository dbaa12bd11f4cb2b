/**
 * The compiled output is never missing or stale without a word: with no build, `npx paperbot` and
 * `npm start` stop with one line saying to run `npm run build` (and that works); after a source is
 * edited, a start says the previous build runs until `npm run build`. In installation copies, so
 * the repository's own build is untouched.
 */
import { execFile } from "node:child_process";
import { utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN } from "./compiled.ts";
import { installCopy } from "./install-copy.ts";
import { removeTempFolders } from "./processes.ts";

const NOT_BUILT =
  "paperbot is not built (dist/ is missing): run `npm run build` (npm ci and npm install run it, unless scripts are turned off)\n";
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

function run(
  cwd: string,
  command: string,
  args: string[],
  input = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          INDEX_CACHE_PATH: "off",
          PAPERS_PATH: "",
          DISCORD_TOKEN: "",
          DISCORD_PUBLIC_KEY: "",
          SLACK_BOT_TOKEN: "",
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

const search = (copy: string, ...extra: string[]) =>
  run(copy, process.execPath, [BIN, "search", "hessian", ...extra]);

afterAll(() => removeTempFolders());

describe("no build (npm install --ignore-scripts, or dist/ deleted)", () => {
  it("npx paperbot and npm start stop with one line naming npm run build, which makes them work", async () => {
    const copy = installCopy({ built: false, sources: true });

    const text = await search(copy);
    expect(text).toEqual({ code: 1, stdout: "", stderr: NOT_BUILT });
    const json = await search(copy, "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: "not_built", message: NOT_BUILT.trimEnd() },
    });

    const start = await run(copy, "npm", ["start"], "/search hessian\n");
    expect(start.code).toBe(1);
    expect(start.stderr).toContain(NOT_BUILT);
    expect(start.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
    expect(start.stderr).not.toMatch(STACK_LINE);

    const build = await run(copy, "npm", ["run", "build"]);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toMatch(/^paperbot build: compiled src\/ and commands\/ to dist\/ in [\d.]+ s$/m);
    const after = await search(copy, "--json");
    expect(after.stderr).toBe("");
    expect(JSON.parse(after.stdout).results[0]?.id).toBe("2305.09088");
  }, 90_000);
});

describe("a source edited after the build", () => {
  it("each start says the previous build runs, until npm run build", async () => {
    const copy = installCopy({ built: false, sources: true });
    const build = await run(copy, process.execPath, ["scripts/build.mjs"]);
    expect(build.code, build.stderr).toBe(0);
    expect((await search(copy, "--json")).stderr).toBe("");

    // A minute ahead: newer than anything the build saw, whatever the file system's time resolution.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(copy, "src", "cli.ts"), later, later);
    const warning =
      "paperbot: src/cli.ts changed after the last build, so this runs the previous build; run `npm run build` to use the change\n";
    const stale = await search(copy, "--json");
    expect(stale.stderr).toBe(warning);
    expect(JSON.parse(stale.stdout).results[0]?.id).toBe("2305.09088");
    const start = await run(copy, "npm", ["start"], "/search hessian\n");
    expect(start.code).toBe(0);
    expect(start.stderr).toBe(warning);
    expect(start.stdout).toContain("The Hessian perspective");

    // `npm test` builds this way: only because something changed, and then the warning is gone.
    const rebuild = await run(copy, process.execPath, ["scripts/build.mjs", "--if-stale"]);
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(rebuild.stderr).toContain("paperbot build: compiled");
    expect((await search(copy, "--json")).stderr).toBe("");
    const noop = await run(copy, process.execPath, ["scripts/build.mjs", "--if-stale"]);
    expect(noop).toEqual({ code: 0, stdout: "", stderr: "" });
  }, 90_000);
});
