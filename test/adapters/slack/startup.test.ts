/**
 * startSlack's failures name the setting to fix, and leave nothing running behind them. The real
 * Bolt app against the fake Slack; test/lifecycle/slack-startup.test.ts checks the same as a user
 * sees it, from a real process.
 */
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type SlackConfig, type SlackOptions, startSlack } from "../../../src/adapters/slack/start-slack.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import { FakeSlack } from "../../fakes/slack/fake-slack.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { openTempKeys, type TempKeys } from "../temp-keys.ts";

const opened: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function fakeSlack(): Promise<FakeSlack> {
  const slack = await new FakeSlack().start();
  opened.push(slack);
  return slack;
}

async function start(config: Partial<SlackConfig>, port = 0, options: SlackOptions = {}) {
  const keys: TempKeys = openTempKeys();
  opened.push(keys);
  const papers = await bundledIndex();
  return startSlack(
    { getPapers: () => papers, logger: SILENT_LOGGER, keys: keys.keys },
    { botToken: "xoxb-secret-value", commandNames: { paper: "/paper" }, ...config },
    port,
    options,
  );
}

async function failure(started: Promise<unknown>): Promise<string> {
  const error = await started.then(
    () => {
      throw new Error("expected the start to fail");
    },
    (caught: unknown) => caught,
  );
  return (error as Error).message;
}

describe("Slack start-up failures", () => {
  it("names SLACK_BOT_TOKEN when Slack refuses it (auth.test invalid_auth)", async () => {
    const slack = await fakeSlack();
    slack.failures.set("auth.test", "invalid_auth");
    const message = await failure(start({ signingSecret: "s", apiUrl: slack.apiUrl }));
    expect(message).toMatch(/^Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/);
    expect(message).toContain("Bot User OAuth Token (xoxb-...)");
    expect(message).not.toContain("secret-value");
  });

  it("says a revoked bot token no longer works", async () => {
    const slack = await fakeSlack();
    slack.failures.set("auth.test", "token_revoked");
    expect(await failure(start({ signingSecret: "s", apiUrl: slack.apiUrl }))).toContain(
      "SLACK_BOT_TOKEN (token_revoked): the token no longer works",
    );
  });

  it("names SLACK_APP_TOKEN when Slack refuses it in Socket Mode (apps.connections.open invalid_auth)", async () => {
    const slack = await fakeSlack();
    slack.failures.set("apps.connections.open", "invalid_auth");
    const message = await failure(start({ appToken: "xapp-secret-value", apiUrl: slack.apiUrl }));
    expect(message).toMatch(/^Slack refused SLACK_APP_TOKEN \(invalid_auth\)/);
    expect(message).toContain("App-Level Token");
    expect(message).not.toContain("secret-value");
    expect(slack.connectedSockets).toBe(0);
  });

  it("gives up on a Socket Mode connection Slack keeps refusing with a retryable error", async () => {
    const slack = await fakeSlack();
    slack.failures.set("apps.connections.open", "internal_error");
    const message = await failure(
      start({ appToken: "xapp-1", apiUrl: slack.apiUrl }, 0, { socketStartTimeoutMs: 200 }),
    );
    expect(message).toContain("Slack did not open a Socket Mode connection");
    expect(message).toContain("SLACK_APP_TOKEN");
  });

  it("says when Slack's Web API cannot be reached, naming SLACK_API_URL", async () => {
    const slack = await fakeSlack();
    const apiUrl = slack.apiUrl;
    await slack.close();
    opened.splice(opened.indexOf(slack), 1);
    const message = await failure(start({ signingSecret: "s", apiUrl }));
    expect(message).toMatch(
      /^Could not reach Slack's Web API at http:\/\/127\.0\.0\.1:\d+ \(SLACK_API_URL\)/,
    );
    expect(message).toContain("SLACK_BOT_TOKEN");
  });

  it("names PORT when another program holds it (HTTP mode)", async () => {
    const slack = await fakeSlack();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    opened.push({ close: () => new Promise<void>((resolve) => blocker.close(() => resolve())) });
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    expect(await failure(start({ signingSecret: "s", apiUrl: slack.apiUrl }, port))).toBe(
      `PORT ${port} is already in use by another program: stop it, or set PORT to a free port.`,
    );
  });
});
