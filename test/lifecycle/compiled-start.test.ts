/**
 * Production paths run the compiled JavaScript with plain node: `npx paperbot`, `npm start` and
 * `npm run start:sharded` (the manager and every shard) work in an installation without tsx, and
 * every node process they start is recorded, so the test sees what ran and with which flags.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAKE_APPLICATION_ID, FakeDiscord } from "../fakes/discord/fake-discord.ts";
import { BIN, MAIN_JS, SHARDED_JS } from "./compiled.ts";
import { installCopy, type NodeProcess, recorder } from "./install-copy.ts";
import {
  exitWithin,
  killStarted,
  removeTempFolders,
  startProcess,
  tempFolder,
  waitUntil,
} from "./processes.ts";

/** Settings a developer's shell or .env could add, cleared so only what a test sets applies. */
const CLEARED = Object.fromEntries(
  [
    "DISCORD_TOKEN",
    "DISCORD_APPLICATION_ID",
    "DISCORD_PUBLIC_KEY",
    "DISCORD_GUILD_ID",
    "DISCORD_SHARD_COUNT",
    "DISCORD_SHARDS",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "DATABASE_URL",
    "PAPERS_PATH",
    "METRICS_PORT",
  ].map((name) => [name, ""]),
);

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; input?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.input ?? "");
  });
}

/** The recorded node processes other than npm's own. */
function apart(processes: NodeProcess[]): NodeProcess[] {
  return processes.filter((node) => !/(^|\/)npm(-cli\.js)?$/.test(node.argv[1] ?? ""));
}

afterEach(() => killStarted());
afterAll(() => removeTempFolders());

describe("production entry points run compiled JavaScript, without tsx installed", () => {
  it("npx paperbot answers in one node process running bin/paperbot.mjs, from any folder", async () => {
    const copy = installCopy({ built: true });
    const record = recorder();
    const elsewhere = tempFolder();
    const { code, stdout, stderr } = await run(
      process.execPath,
      [join(copy, BIN), "search", "hessian", "--json"],
      {
        cwd: elsewhere,
        env: { ...CLEARED, ...record.env, INDEX_CACHE_PATH: "off" },
      },
    );
    expect(code, stdout).toBe(0);
    expect(stderr).toBe("");
    // The bundled papers, found from dist/src/ in the installation folder, not from the current folder.
    expect(JSON.parse(stdout).results[0]?.id).toBe("2305.09088");
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(record.processes()).toEqual([
      { argv: [process.execPath, join(copy, BIN), "search", "hessian", "--json"], execArgv: [] },
    ]);
  }, 30_000);

  it("npm start runs dist/src/main.js with plain node and answers piped commands", async () => {
    const copy = installCopy({ built: true });
    const record = recorder();
    const { code, stdout, stderr } = await run("npm", ["start"], {
      cwd: copy,
      env: {
        ...CLEARED,
        ...record.env,
        INDEX_CACHE_PATH: "off",
        DATABASE_PATH: join(tempFolder(), "state.db"),
      },
      input: "/search hessian\n",
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("The Hessian perspective into the Nature of Convolutional Neural Networks");
    expect(apart(record.processes())).toEqual([
      { argv: [process.execPath, join(copy, MAIN_JS)], execArgv: ["--import", "./scripts/check-build.mjs"] },
    ]);
    expect(JSON.stringify(record.processes())).not.toContain("tsx");
  }, 30_000);

  describe("npm run start:sharded", () => {
    let fake: FakeDiscord;
    beforeAll(async () => {
      fake = await new FakeDiscord().start();
    });
    afterAll(async () => {
      await fake?.stop();
    });

    it("runs the manager and its shard from dist/ with plain node", async () => {
      const copy = installCopy({ built: true });
      const record = recorder();
      const started = startProcess(
        "npm",
        ["run", "start:sharded"],
        {
          ...CLEARED,
          ...record.env,
          DISCORD_TOKEN: "test-token",
          DISCORD_APPLICATION_ID: FAKE_APPLICATION_ID,
          DISCORD_API_URL: fake.apiUrl,
          DISCORD_SHARD_COUNT: "1",
          DATABASE_PATH: join(tempFolder(), "state.db"),
          INDEX_CACHE_PATH: "off",
          LOG_LEVEL: "warn",
        },
        copy,
      );
      await waitUntil(
        () => fake.sessions.length >= 1 || started.top.exitCode !== null,
        40_000,
        "the shard's session",
      );
      expect(fake.sessions.length, started.output()).toBe(1);
      // The shard is forked by discord.js' ShardingManager with the execArgv sharded.ts chose.
      expect(apart(record.processes())).toEqual([
        {
          argv: [process.execPath, join(copy, SHARDED_JS)],
          execArgv: ["--import", "./scripts/check-build.mjs"],
        },
        { argv: [process.execPath, join(copy, "dist/src/adapters/discord/shard.js")], execArgv: [] },
      ]);
      process.kill(started.top.pid as number, "SIGTERM");
      expect(await exitWithin(started, 30_000), started.output()).toBe(0);
    }, 60_000);
  });
});
