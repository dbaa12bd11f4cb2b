/**
 * Where paperbot's paths point and what a start checks about them: defaults belong to the
 * installation folder (the one holding package.json), paths the user sets are relative to the
 * current folder, and a missing data path or state folder is a configuration problem, never
 * something paperbot creates.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { openBot } from "../src/bot.ts";
import { ConfigError, INSTALL_DIR, loadConfig, pathProblems } from "../src/config.ts";
import { MAIN_JS } from "./lifecycle/compiled.ts";

const ROOT = resolve(import.meta.dirname, "..");

function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), "paperbot-paths-"));
}

function problemsOf(env: Record<string, string>): string[] {
  return pathProblems(loadConfig(env));
}

describe("default paths", () => {
  it("resolve in the installation folder, the one holding package.json, not the current folder", () => {
    expect(INSTALL_DIR).toBe(ROOT);
    expect(existsSync(join(INSTALL_DIR, "package.json"))).toBe(true);
    const config = loadConfig({});
    expect(config.papersPath).toBe(join(ROOT, "data"));
    expect(config.databasePath).toBe(join(ROOT, "paperbot.db"));
    expect(config.indexCachePath).toBe(join(ROOT, ".paperbot-index"));
  });

  it("keep what the user sets as given, so it is relative to the current folder", () => {
    const config = loadConfig({ PAPERS_PATH: "my-papers", DATABASE_PATH: "state/bot.db" });
    expect(config.papersPath).toBe("my-papers");
    expect(config.databasePath).toBe("state/bot.db");
    expect(config.indexCachePath).toBe(join("state", ".paperbot-index"));
    const [problem] = problemsOf({ PAPERS_PATH: "no-such-papers", INDEX_CACHE_PATH: "off" });
    expect(problem).toContain(`looked for ${join(process.cwd(), "no-such-papers")}`);
  });

  it("have nothing to complain about in a fresh checkout", () => {
    expect(problemsOf({})).toEqual([]);
  });
});

describe("path checks", () => {
  it("name PAPERS_PATH when it does not exist", () => {
    const missing = join(tempFolder(), "papers");
    expect(problemsOf({ PAPERS_PATH: missing })).toEqual([
      expect.stringMatching(new RegExp(`^PAPERS_PATH "${missing}" does not exist`)),
    ]);
  });

  it("name DATABASE_PATH when its folder does not exist, once for the database and the index beside it", () => {
    const folder = join(tempFolder(), "missing");
    const found = problemsOf({ DATABASE_PATH: join(folder, "state.db") });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^DATABASE_PATH ".*state\.db": the folder .*missing does not exist/);
    expect(found[0]).toContain("paperbot does not create folders");
  });

  it("name DATABASE_PATH when it is a folder", () => {
    const folder = tempFolder();
    expect(problemsOf({ DATABASE_PATH: folder, INDEX_CACHE_PATH: "off" })).toEqual([
      expect.stringMatching(/^DATABASE_PATH ".*" is a folder/),
    ]);
  });

  it("name INDEX_CACHE_PATH when its folder does not exist, unless it is off", () => {
    const index = join(tempFolder(), "missing", "index");
    expect(problemsOf({ INDEX_CACHE_PATH: index })).toEqual([
      expect.stringMatching(
        /^INDEX_CACHE_PATH ".*index": the folder .*missing does not exist.*set it to off/,
      ),
    ]);
    expect(problemsOf({ INDEX_CACHE_PATH: "off" })).toEqual([]);
  });

  it("skip DATABASE_PATH with PostgreSQL, but still check the index that defaults beside it", () => {
    const folder = join(tempFolder(), "missing");
    const env = {
      DATABASE_URL: "postgres://paperbot@127.0.0.1:1/paperbot",
      DATABASE_PATH: join(folder, "x.db"),
    };
    expect(problemsOf({ ...env, INDEX_CACHE_PATH: "off" })).toEqual([]);
    expect(problemsOf(env)).toEqual([
      expect.stringMatching(/^INDEX_CACHE_PATH .*\(its default is beside DATABASE_PATH\)$/),
    ]);
  });

  it("list every path problem at once", () => {
    const folder = tempFolder();
    const found = problemsOf({
      PAPERS_PATH: join(folder, "papers"),
      DATABASE_PATH: join(folder, "db", "state.db"),
      INDEX_CACHE_PATH: join(folder, "cache", "index"),
    });
    expect(found.map((problem) => problem.split(" ")[0])).toEqual([
      "PAPERS_PATH",
      "DATABASE_PATH",
      "INDEX_CACHE_PATH",
    ]);
  });
});

describe("a start (openBot, as npm start and every shard run it)", () => {
  it("refuses a DATABASE_PATH in a missing folder with a ConfigError, and does not create the folder", async () => {
    const folder = join(tempFolder(), "missing");
    const started = openBot({ DATABASE_PATH: join(folder, "state.db"), LOG_LEVEL: "silent" });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/DATABASE_PATH/);
    expect(existsSync(folder)).toBe(false);
  });

  it("refuses a missing PAPERS_PATH with a ConfigError naming it", async () => {
    const folder = tempFolder();
    const started = openBot({
      PAPERS_PATH: join(folder, "papers"),
      DATABASE_PATH: join(folder, "state.db"),
      LOG_LEVEL: "silent",
    });
    await expect(started).rejects.toThrow(
      /Configuration problems:\n {2}- PAPERS_PATH ".*papers" does not exist/,
    );
    expect(existsSync(join(folder, "state.db"))).toBe(false);
  });
});

describe("npm start (a real process)", () => {
  function start(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
    return new Promise((resolveRun) => {
      const child = execFile(
        process.execPath,
        [MAIN_JS],
        { cwd: ROOT, env: { PATH: process.env.PATH, ...env } },
        (error, _stdout, stderr) => resolveRun({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
      child.stdin?.end("/random\n");
    });
  }

  it("lists a missing PAPERS_PATH and a missing state folder as configuration problems, creating nothing", async () => {
    const folder = tempFolder();
    const stateFolder = join(folder, "state");
    const { code, stderr } = await start({
      PAPERS_PATH: join(folder, "papers"),
      DATABASE_PATH: join(stateFolder, "bot.db"),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Configuration problems:\n/);
    expect(stderr).toMatch(/- PAPERS_PATH ".*papers" does not exist/);
    expect(stderr).toMatch(/- DATABASE_PATH ".*bot\.db": the folder .*state does not exist/);
    expect(stderr).not.toContain("ENOENT");
    expect(existsSync(stateFolder)).toBe(false);
  });

  it("starts when the folders exist", async () => {
    const folder = tempFolder();
    mkdirSync(join(folder, "state"));
    const { code } = await start({ DATABASE_PATH: join(folder, "state", "bot.db"), INDEX_CACHE_PATH: "off" });
    expect(code).toBe(0);
  });
});
