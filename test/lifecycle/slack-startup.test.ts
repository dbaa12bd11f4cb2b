/**
 * Starting the Slack bot with the usual token mistakes, as a user does: the direct service command
 * against the local fake Slack playing each mistake. Every start must end with exit code 1 and a short
 * message naming the variable to fix, no stack trace, never the secret part of a token, and within a
 * bounded time (nothing, such as a Socket Mode reconnect loop, may keep the process alive).
 */
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack } from "../fakes/slack/fake-slack.ts";
import { DATA_DIR } from "../fixtures/corpus.ts";
import { MAIN_JS } from "./compiled.ts";
import {
  exitWithin,
  freePort,
  killStarted,
  removeTempFolders,
  startProcess,
  tempFolder,
} from "./processes.ts";

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
const SECRET = "S3CRETPART";
/** A start that fails at once takes a few seconds (loading the app and the corpus), more on a loaded machine. */
const EXIT_BOUND_MS = 20_000;
/** Room for the bound above, past vitest's default. */
const TEST_TIMEOUT_MS = 30_000;

let slack: FakeSlack;

beforeAll(async () => {
  slack = await new FakeSlack().start();
});

afterEach(() => {
  killStarted();
  slack.failures.clear();
  slack.calls.length = 0;
});

afterAll(async () => {
  await slack?.close();
  removeTempFolders();
});

/** `node dist/src/main.js` with only these Slack settings (everything else that could start a platform cleared). */
async function runBot(slackEnv: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const run = startProcess(process.execPath, [MAIN_JS], {
    SLACK_BOT_TOKEN: "",
    SLACK_SIGNING_SECRET: "",
    SLACK_APP_TOKEN: "",
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: "",
    DISCORD_PUBLIC_KEY: "",
    DISCORD_APPLICATION_ID: "",
    DATABASE_URL: "",
    DAILY_CHANNELS: "",
    DAILY_CHANNELS_FILE: "",
    DAILY_SLACK_ANYONE_CAN_MANAGE: "",
    DAILY_SLACK_MANAGERS: "",
    FOLLOW_CHANNELS: "",
    METRICS_PORT: "",
    LOG_FORMAT: "",
    PAPERS_PATH: DATA_DIR,
    DATABASE_PATH: join(tempFolder("paperbot-slack-startup-"), "state.db"),
    INDEX_CACHE_PATH: "off",
    LOG_LEVEL: "info",
    PORT: String(await freePort()),
    ...slackEnv,
  });
  const code = await exitWithin(run, EXIT_BOUND_MS);
  return { code, stderr: run.stderr() };
}

function expectFriendlyFailure(result: { code: number | null; stderr: string }, expected: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toMatch(expected);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).not.toContain(SECRET);
}

describe("starting the Slack bot with a token Slack refuses", () => {
  it(
    "HTTP mode: auth.test invalid_auth stops the start naming SLACK_BOT_TOKEN",
    async () => {
      slack.failures.set("auth.test", "invalid_auth");
      const result = await runBot({ SLACK_BOT_TOKEN: `xoxb-${SECRET}`, SLACK_SIGNING_SECRET: "signing" });
      expectFriendlyFailure(result, /paperbot stopped: Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/);
      expect(result.stderr).toContain("Bot User OAuth Token (xoxb-...)");
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "Socket Mode: apps.connections.open invalid_auth stops the start naming SLACK_APP_TOKEN",
    async () => {
      slack.failures.set("apps.connections.open", "invalid_auth");
      const result = await runBot({ SLACK_BOT_TOKEN: "xoxb-good", SLACK_APP_TOKEN: `xapp-${SECRET}` });
      expectFriendlyFailure(result, /paperbot stopped: Slack refused SLACK_APP_TOKEN \(invalid_auth\)/);
      expect(result.stderr).toContain("App-Level Token");
      expect(slack.connectedSockets).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});

describe("starting the Slack bot with the tokens swapped", () => {
  it(
    "lists both variables before calling Slack, showing only the token prefixes",
    async () => {
      const result = await runBot({ SLACK_BOT_TOKEN: `xapp-${SECRET}`, SLACK_APP_TOKEN: `xoxb-${SECRET}` });
      expectFriendlyFailure(result, /Configuration problems:/);
      expect(result.stderr).toMatch(/SLACK_BOT_TOKEN must be the Bot User OAuth Token, starting with xoxb-/);
      expect(result.stderr).toMatch(/SLACK_APP_TOKEN must be an App-Level Token .*, starting with xapp-/);
      expect(slack.calls).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
