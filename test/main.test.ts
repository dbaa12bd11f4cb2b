import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAIN_JS } from "./lifecycle/compiled.ts";

/** Runs `npm start`'s entry point as a real process with piped stdin. */
function start(
  input: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const folder = mkdtempSync(join(tmpdir(), "paperbot-main-"));
  return new Promise((resolve) => {
    const child = execFile(
      "node",
      [MAIN_JS],
      { env: { PATH: process.env.PATH, DATABASE_PATH: join(folder, "state.db"), ...env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe("npm start", () => {
  it("runs the console on piped stdin, answers each line and exits 0 at EOF", async () => {
    const { code, stdout } = await start("/paper arXiv:2305.09088v2\n/search hesian rank\n");
    expect(code).toBe(0);
    expect(stdout).toContain("Sidak Pal Singh, Thomas Hofmann, Bernhard Schölkopf");
    expect(stdout).toMatch(/Results 1-\d+ of \d+ for “hesian rank”:\n1\. The Hessian perspective/);
  });

  it("says on piped stdin that /daily on and /follow post nothing there, instead of promising a time", async () => {
    const { code, stdout } = await start('/daily on 09:00\n/follow author:"Thomas Hofmann"\n/follow list\n');
    expect(code).toBe(0);
    expect(stdout).not.toContain("Next post");
    expect(
      stdout.match(/posts are made only while the bot runs on a platform or in an interactive console/g),
    ).toHaveLength(3);
    expect(stdout).toContain('1. author:"Thomas Hofmann" (not checked yet)');
  });

  it("lists every configuration problem and exits 1", async () => {
    const { code, stderr } = await start("", {
      DISCORD_PUBLIC_KEY: "not-hex",
      PORT: "http",
      SLACK_APP_TOKEN: "xapp-1",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("PORT must be a port number");
    expect(stderr).toContain("DISCORD_PUBLIC_KEY must be");
    expect(stderr).toContain("SLACK_BOT_TOKEN is needed");
    expect(stderr).not.toContain("xapp-1");
    const arxiv = await start("", { FOLLOW_CHECK_MINUTES: "0", FOLLOW_CHANNELS: "slack:C1 year:2023" });
    expect(arxiv.code).toBe(1);
    expect(arxiv.stderr).toContain("FOLLOW_CHECK_MINUTES must be a whole number from 1");
    expect(arxiv.stderr).toContain("FOLLOW_CHANNELS: A follow takes author:, category: and topic words");
  });

  it("refuses a database file that is not SQLite, and leaves it as it was", async () => {
    const folder = mkdtempSync(join(tmpdir(), "paperbot-main-"));
    const notSqlite = join(folder, "notes.db");
    writeFileSync(notSqlite, "my precious notes\n");
    const { code, stderr } = await start("/random\n", { DATABASE_PATH: notSqlite });
    expect(code).toBe(1);
    expect(stderr).toMatch(/notes\.db/);
    expect(readFileSync(notSqlite, "utf8")).toBe("my precious notes\n");
  });
});
