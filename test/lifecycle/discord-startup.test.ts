/**
 * Starting the Discord bot with the usual mistakes, as a user does: the direct service command and
 * `npm run start:sharded`, pointed at local servers that play each mistake. Every start must end
 * with exit code 1 and a short message naming the setting to fix (DISCORD_TOKEN, DISCORD_API_URL,
 * the network), no stack trace unless LOG_LEVEL=debug, never the token, and within a bounded time
 * even when nothing answers. A good start says which mode runs and why.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, type ExpectStatic, expect, it } from "vitest";
import { FAKE_APPLICATION_ID, FakeDiscord } from "../fakes/discord/fake-discord.ts";
import { keyPair } from "../fakes/discord/signed-interaction.ts";
import { DATA_DIR } from "../fixtures/corpus.ts";
import { MAIN_JS } from "./compiled.ts";
import {
  exitWithin,
  freePort,
  groupMembers,
  killStarted,
  removeTempFolders,
  type Started,
  startProcess,
  tempFolder,
  waitUntil,
} from "./processes.ts";

const WRONG_TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMg.wrongX.not-the-real-token-at-all";
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
const CONNECTING = "connecting to Discord at";
/** The connect timeout (15 s) plus room for a loaded machine; the old behaviour took a silent minute. */
const BLACK_HOLE_BOUND_MS = 25_000;

let fake: FakeDiscord;
/** Answers everything with a 404 HTML page, like a web server that is not Discord's API. */
let webServer: Server;
/** Accepts connections and never answers. */
let blackHole: TcpServer;
const heldSockets = new Set<Socket>();
let webUrl = "";
let blackHoleUrl = "";
let refusedUrl = "";

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  webServer = createHttpServer((_request, response) => {
    response.writeHead(404, { "content-type": "text/html" });
    response.end("<html><body><h1>Not Found</h1></body></html>");
  });
  await new Promise<void>((resolve) => webServer.listen(0, "127.0.0.1", () => resolve()));
  webUrl = `http://127.0.0.1:${(webServer.address() as { port: number }).port}/api`;
  blackHole = createTcpServer((socket) => {
    heldSockets.add(socket);
    socket.on("close", () => heldSockets.delete(socket));
  });
  await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", () => resolve()));
  blackHoleUrl = `http://127.0.0.1:${(blackHole.address() as { port: number }).port}/api`;
  refusedUrl = `http://127.0.0.1:${await freePort()}/api`;
});

afterAll(async () => {
  // Tests run side by side, so clean-up of anything still running waits until all are done.
  killStarted();
  await fake?.stop();
  webServer?.closeAllConnections();
  await new Promise<void>((resolve) => (webServer ? webServer.close(() => resolve()) : resolve()));
  for (const socket of heldSockets) socket.destroy();
  await new Promise<void>((resolve) => (blackHole ? blackHole.close(() => resolve()) : resolve()));
  removeTempFolders();
});

/** Only what the test sets: nothing from the developer's shell (a real token, a Slack app) leaks in. */
function discordEnv(extra: Record<string, string>): Record<string, string> {
  return {
    DISCORD_TOKEN: "test-token",
    DISCORD_APPLICATION_ID: FAKE_APPLICATION_ID,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_PUBLIC_KEY: "",
    DISCORD_GUILD_ID: "",
    DISCORD_MENTIONS: "",
    DISCORD_SHARD_COUNT: "",
    DISCORD_SHARDS: "",
    SLACK_BOT_TOKEN: "",
    SLACK_SIGNING_SECRET: "",
    SLACK_APP_TOKEN: "",
    DATABASE_URL: "",
    DATABASE_PATH: join(tempFolder(), "state.db"),
    INDEX_CACHE_PATH: "off",
    PAPERS_PATH: DATA_DIR,
    LOG_LEVEL: "info",
    LOG_FORMAT: "",
    METRICS_PORT: "",
    ...extra,
  };
}

const STARTS = {
  "node dist/src/main.js": (env: Record<string, string>) => startProcess(process.execPath, [MAIN_JS], env),
  "npm run start:sharded": (env: Record<string, string>) =>
    startProcess("npm", ["run", "start:sharded"], env),
};

interface Mistake {
  name: string;
  env: () => Record<string, string>;
  /** The last line of stderr, after "paperbot stopped: ". */
  message: RegExp;
}

const MISTAKES: Mistake[] = [
  {
    name: "a token Discord rejects",
    env: () => ({ DISCORD_TOKEN: WRONG_TOKEN }),
    message:
      /^Discord rejected DISCORD_TOKEN \(401 Unauthorized\): .*Developer Portal -> your app -> Bot -> Reset Token/,
  },
  {
    name: "a DISCORD_API_URL that is not Discord's API",
    env: () => ({ DISCORD_API_URL: webUrl }),
    message:
      /^DISCORD_API_URL \(http:\/\/127\.0\.0\.1:\d+\/api\) does not answer like Discord's API \(GET \/users\/@me answered 404.*\); it should be the REST base with \/api and without \/v10, e.g\. https:\/\/discord\.com\/api/,
  },
  {
    name: "a refused connection",
    env: () => ({ DISCORD_API_URL: refusedUrl }),
    message:
      /^could not reach Discord at http:\/\/127\.0\.0\.1:\d+\/api \(connection refused\): check the network and DISCORD_API_URL$/,
  },
];

/** The friendly part of a failed start: exit 1, the reason as the last line, nothing else alarming. */
async function expectFriendlyFailure(
  expect: ExpectStatic,
  run: Started,
  message: RegExp,
  withinMs: number,
): Promise<void> {
  expect(await exitWithin(run, withinMs), run.output()).toBe(1);
  const lines = run.stderr().trimEnd().split("\n");
  const last = lines.at(-1) ?? "";
  expect(last.startsWith("paperbot stopped: "), run.output()).toBe(true);
  expect(last.slice("paperbot stopped: ".length)).toMatch(message);
  expect(run.output(), "no stack trace without LOG_LEVEL=debug").not.toMatch(STACK_LINE);
  expect(run.output()).not.toContain(WRONG_TOKEN);
  // Logged before the first request, so a slow network is never a silent wait.
  expect(run.output()).toContain(CONNECTING);
  expect(groupMembers(run), "processes left behind").toEqual([]);
}

for (const [how, start] of Object.entries(STARTS)) {
  describe.concurrent(`${how}: Discord start-up mistakes`, () => {
    for (const mistake of MISTAKES) {
      it(`${mistake.name}: exits 1 naming the setting to fix`, async ({ expect }) => {
        const run = start(discordEnv(mistake.env()));
        await expectFriendlyFailure(expect, run, mistake.message, 45_000);
      }, 60_000);
    }

    it("a black hole (accepts, never answers): exits 1 within the connect timeout", async ({ expect }) => {
      const run = start(discordEnv({ DISCORD_API_URL: blackHoleUrl }));
      await waitUntil(
        () => run.output().includes(CONNECTING) || run.top.exitCode !== null,
        30_000,
        "the connecting line",
      );
      const connectingAt = Date.now();
      await expectFriendlyFailure(
        expect,
        run,
        /^could not reach Discord at http:\/\/127\.0\.0\.1:\d+\/api \(no answer within 15 s\): check the network and DISCORD_API_URL$/,
        BLACK_HOLE_BOUND_MS,
      );
      expect(Date.now() - connectingAt).toBeLessThan(BLACK_HOLE_BOUND_MS);
    }, 75_000);

    it("LOG_LEVEL=debug adds the stack trace after the message", async ({ expect }) => {
      const run = start(discordEnv({ DISCORD_API_URL: refusedUrl, LOG_LEVEL: "debug" }));
      expect(await exitWithin(run, 45_000), run.output()).toBe(1);
      expect(run.stderr()).toMatch(/paperbot stopped: could not reach Discord at .* \(connection refused\)/);
      expect(run.stderr()).toMatch(STACK_LINE);
    }, 60_000);
  });
}

describe("npm run start:sharded: a shard that cannot start", () => {
  it("stops the other shards and the manager with exit 1, the shard's reason above the manager's", async () => {
    const revoking = await new FakeDiscord().start();
    try {
      // The manager's check passes; the token is reset before the first shard checks it.
      revoking.resetTokenAfter(1);
      const run = STARTS["npm run start:sharded"](
        discordEnv({ DISCORD_API_URL: revoking.apiUrl, DISCORD_SHARD_COUNT: "2" }),
      );
      expect(await exitWithin(run, 40_000), run.output()).toBe(1);
      const lines = run.stderr().trimEnd().split("\n");
      expect(lines.at(-1)).toBe(
        "paperbot stopped: shard 0 stopped before it was ready (its reason is above); every shard was stopped",
      );
      expect(run.stderr()).toMatch(
        /^paperbot shard 0 stopped: Discord rejected DISCORD_TOKEN \(401 Unauthorized\)/m,
      );
      expect(run.output()).not.toMatch(STACK_LINE);
      // Not respawned in a loop, and nothing left running.
      expect(run.output().match(/shard 0 of 2 started/g)).toHaveLength(1);
      expect(groupMembers(run), "processes left behind").toEqual([]);
      expect(revoking.sessions).toEqual([]);
    } finally {
      await revoking.stop();
    }
  }, 60_000);
});

describe("which Discord mode runs, and why", () => {
  async function runningThenStopped(run: Started, ready: () => Promise<boolean> | boolean): Promise<void> {
    await waitUntil(
      async () => {
        if (run.top.exitCode !== null) throw new Error(`bot exited early:\n${run.output()}`);
        return ready();
      },
      30_000,
      "the bot to run",
    );
    process.kill(run.top.pid as number, "SIGTERM");
    expect(await exitWithin(run, 20_000), run.output()).toBe(0);
  }

  it("DISCORD_TOKEN alone: gateway mode, with slash commands and @mentions", async () => {
    const run = STARTS["node dist/src/main.js"](discordEnv({}));
    await runningThenStopped(run, () => run.output().includes("paperbot is running on discord"));
    expect(run.output()).toContain(
      "discord: gateway mode (DISCORD_PUBLIC_KEY is not set; slash commands and @mentions over the gateway)",
    );
    expect(run.output()).not.toContain("HTTP interactions mode");
  }, 60_000);

  it("DISCORD_PUBLIC_KEY beside DISCORD_TOKEN: HTTP interactions mode, saying the gateway and @mentions are off", async () => {
    const port = await freePort();
    const run = STARTS["node dist/src/main.js"](
      discordEnv({ DISCORD_PUBLIC_KEY: keyPair().publicKeyHex, PORT: String(port) }),
    );
    await runningThenStopped(run, async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
      } catch {
        return false;
      }
    });
    expect(run.output()).toContain(
      "discord: HTTP interactions mode (DISCORD_PUBLIC_KEY is set; the gateway and @mentions are off)",
    );
    expect(run.output()).not.toContain("gateway mode");
  }, 60_000);

  it("HTTP interactions mode checks a given DISCORD_TOKEN at start, like gateway mode", async () => {
    const run = STARTS["node dist/src/main.js"](
      discordEnv({
        DISCORD_PUBLIC_KEY: keyPair().publicKeyHex,
        DISCORD_TOKEN: WRONG_TOKEN,
        PORT: String(await freePort()),
      }),
    );
    expect(await exitWithin(run, 45_000), run.output()).toBe(1);
    expect(run.stderr().trimEnd().split("\n").at(-1)).toMatch(
      /^paperbot stopped: Discord rejected DISCORD_TOKEN \(401 Unauthorized\)/,
    );
    expect(run.output()).not.toContain(WRONG_TOKEN);
    expect(run.output()).not.toMatch(STACK_LINE);
  }, 60_000);
});
