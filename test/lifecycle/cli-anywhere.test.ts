/**
 * `npx paperbot` run from some other folder, as a real process, the way a user runs it: the
 * bundled papers are found in the installation folder, nothing is written into the folder it was
 * run from, and bad paths are configuration errors naming the variable (bad_config), not crashes.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN as BIN_IN_REPO } from "./compiled.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, BIN_IN_REPO);

function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), "paperbot-anywhere-"));
}

/** Runs `node <repo>/bin/paperbot.mjs ...args` in `cwd`, with only PATH and `env` set. */
function paperbot(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { PATH: process.env.PATH, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("npx paperbot from another folder", () => {
  it("searches the bundled papers and leaves the folder it ran in untouched", async () => {
    const cwd = tempFolder();
    // The default index would go to the installation folder: off keeps this test from writing there.
    const { code, stdout } = await paperbot(cwd, ["search", "hessian", "--json"], {
      INDEX_CACHE_PATH: "off",
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).results[0]?.id).toBe("2305.09088");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("saves the index beside DATABASE_PATH, not in the folder it ran in", async () => {
    const cwd = tempFolder();
    const state = tempFolder();
    const { code, stdout } = await paperbot(cwd, ["search", "hessian", "--json"], {
      DATABASE_PATH: join(state, "bot.db"),
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).results).not.toEqual([]);
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(state).sort()).toEqual([".paperbot-index", ".paperbot-index.corpus"]);
  });

  it("reads a relative PAPERS_PATH from the folder it ran in", async () => {
    const cwd = tempFolder();
    writeFileSync(
      join(cwd, "mine.txt"),
      "Lottery tickets in sparse transformers.\n\narXiv:2301.00001\nCreated: 2023-01-02\n",
    );
    const { code, stdout } = await paperbot(cwd, ["search", "lottery", "--json"], {
      PAPERS_PATH: "mine.txt",
      INDEX_CACHE_PATH: "off",
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).results.map((result: { id: string }) => result.id)).toEqual(["2301.00001"]);
  });

  it("answers a missing PAPERS_PATH with bad_config naming it, and exits 1", async () => {
    const cwd = tempFolder();
    const { code, stdout } = await paperbot(cwd, ["search", "hessian", "--json"], {
      PAPERS_PATH: "no-such-data",
      INDEX_CACHE_PATH: "off",
    });
    expect(code).toBe(1);
    const { error } = JSON.parse(stdout);
    expect(error.code).toBe("bad_config");
    expect(error.message).toContain('PAPERS_PATH "no-such-data" does not exist');
    expect(error.message).not.toContain("ENOENT");
  });

  it("answers a DATABASE_PATH in a missing folder with bad_config naming it, and creates no folder", async () => {
    const cwd = tempFolder();
    const missing = join(tempFolder(), "state");
    const { code, stdout } = await paperbot(cwd, ["search", "hessian", "--json"], {
      DATABASE_PATH: join(missing, "bot.db"),
    });
    expect(code).toBe(1);
    const { error } = JSON.parse(stdout);
    expect(error.code).toBe("bad_config");
    expect(error.message).toMatch(/DATABASE_PATH ".*bot\.db": the folder .*state does not exist/);
    expect(existsSync(missing)).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("prints text without console keys, saying which --page shows more", async () => {
    const { code, stdout } = await paperbot(tempFolder(), ["search", "network"], { INDEX_CACHE_PATH: "off" });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Results 1-5 of \d+ for “network”/);
    expect(stdout).not.toMatch(/\[[a-z]\]/);
    expect(stdout).toContain("--page 2");
  });

  it("checks the folder it is pointed at, listing the files it skips without failing", async () => {
    const cwd = tempFolder();
    writeFileSync(join(cwd, "papers.txt"), "Cold posteriors.\n\narXiv:2301.00001\nCreated: 2023-01-02\n");
    writeFileSync(join(cwd, "notes.md"), "# reading list\n");
    const { code, stdout } = await paperbot(cwd, ["check", "."]);
    expect(code).toBe(0);
    expect(stdout).toContain("skipped: notes.md (not a data file: .txt, .bib, .json or .tsv)");
    expect(stdout).toContain("OK: 1 papers from 1 file(s) under ., 1 skipped");
  });
});
