/**
 * Stopping the service the way Docker, systemd, pm2 and `kill` do: one SIGTERM (or a Ctrl-C's
 * SIGINT) to the top process. Real processes, started as a user starts them: `npm start`,
 * `npm run start:sharded` and the direct service command. The signal must reach the bot, which
 * finishes in-flight replies and exits; nothing of the process tree may be left behind holding the
 * port.
 */
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAKE_APPLICATION_ID, FakeDiscord } from "../fakes/discord/fake-discord.ts";
import { FakeSlack } from "../fakes/slack/fake-slack.ts";
import { DATA_DIR } from "../fixtures/corpus.ts";
import { MAIN_JS } from "./compiled.ts";
import {
  freePort,
  killStarted,
  removeTempFolders,
  type Started,
  startProcess as start,
  tempFolder,
  waitUntil,
} from "./processes.ts";

const GRACEFUL = (signal: string) => `${signal}: finishing in-flight replies and shutting down`;

/** True when a new server can listen on the port (on all interfaces, as the bot does). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** Pids of every live descendant of `pid`, via `ps --ppid`, recursively. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    // ps exits 1 when there are none.
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** Whether the process exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return stat !== "" && !stat.startsWith("Z");
  } catch {
    return false;
  }
}

/**
 * Sends `signal` to the top process only, then checks that the top process exits, no process of
 * the tree it had is left, the port is free again, and the bot took its graceful path (logged it).
 */
async function stopWith(
  run: Started,
  signal: NodeJS.Signals,
  expected: { port?: number; logLine?: string } = {},
): Promise<void> {
  const pid = run.top.pid as number;
  const tree = descendants(pid);
  process.kill(pid, signal);
  await Promise.race([
    run.exited,
    new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error(`top process still running after ${signal}:\n${run.output()}`)),
        15_000,
      ),
    ),
  ]);
  await waitUntil(() => !tree.some(alive), 10_000, `the process tree to end`).catch(() => {});
  const left = tree.filter(alive).map((child) => {
    try {
      return execFileSync("ps", ["-o", "pid=,args=", "-p", String(child)], { encoding: "utf8" }).trim();
    } catch {
      return String(child);
    }
  });
  expect(left, `processes left after ${signal}`).toEqual([]);
  const { port, logLine } = expected;
  if (port !== undefined) expect(await portIsFree(port), `port ${port} free after ${signal}`).toBe(true);
  if (logLine !== undefined) expect(run.output()).toContain(logLine);
}

// Everything a test started is in the process group it started.
afterEach(killStarted);
afterAll(removeTempFolders);

describe("stopping the Slack HTTP service with a signal", () => {
  let slack: FakeSlack;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
  });

  afterAll(async () => {
    await slack?.close();
  });

  async function startSlackBot(command: string, args: string[]): Promise<{ run: Started; port: number }> {
    const port = await freePort();
    const run = start(command, args, {
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: "test-secret",
      SLACK_API_URL: slack.apiUrl,
      SLACK_APP_TOKEN: "",
      DISCORD_TOKEN: "",
      DISCORD_PUBLIC_KEY: "",
      DISCORD_APPLICATION_ID: "",
      DATABASE_PATH: join(tempFolder(), "state.db"),
      INDEX_CACHE_PATH: "off",
      LOG_LEVEL: "info",
      PORT: String(port),
    });
    await waitUntil(
      async () => {
        if (run.top.exitCode !== null) throw new Error(`bot exited early:\n${run.output()}`);
        try {
          return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
        } catch {
          return false;
        }
      },
      30_000,
      "GET /health",
    );
    return { run, port };
  }

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`npm start: ${signal} to npm stops the bot gracefully and frees the port`, async () => {
      const { run, port } = await startSlackBot("npm", ["start"]);
      await stopWith(run, signal, { port, logLine: GRACEFUL(signal) });
    }, 60_000);

    it(`direct service command: ${signal} to node stops the bot gracefully and frees the port`, async () => {
      const { run, port } = await startSlackBot(process.execPath, [MAIN_JS]);
      await stopWith(run, signal, { port, logLine: GRACEFUL(signal) });
    }, 60_000);
  }
});

describe("stopping the sharded Discord service with a signal", () => {
  let discord: FakeDiscord;

  beforeAll(async () => {
    discord = await new FakeDiscord().start();
  });

  afterAll(async () => {
    await discord?.stop();
  });

  it("npm run start:sharded: SIGTERM to npm stops the manager and every shard gracefully", async () => {
    const run = start("npm", ["run", "start:sharded"], {
      DISCORD_TOKEN: "test-token",
      DISCORD_APPLICATION_ID: FAKE_APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_SHARD_COUNT: "2",
      PAPERS_PATH: DATA_DIR,
      DATABASE_PATH: join(tempFolder(), "state.db"),
      INDEX_CACHE_PATH: "off",
      LOG_LEVEL: "info",
      DISCORD_PUBLIC_KEY: "",
      SLACK_BOT_TOKEN: "",
      SLACK_SIGNING_SECRET: "",
      SLACK_APP_TOKEN: "",
    });
    const before = discord.sessions.length;
    await discord.waitFor(
      () => discord.sessions.length >= before + 2,
      30_000,
      `two shard sessions (output: ${run.output()})`,
    );
    await stopWith(run, "SIGTERM");
    // The shards closed their gateways (the sharded start logs no stop line of its own).
    await discord.waitFor(
      () => discord.sessions.every((session) => session.socket.readyState !== 1),
      10_000,
      "closed sessions",
    );
  }, 60_000);
});
