import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_DATABASE_PATH, DEFAULT_PAPERS_PATH, loadConfig } from "../src/config.ts";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("runs the console with defaults when nothing is set", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      papersPath: DEFAULT_PAPERS_PATH,
      port: 3000,
      databasePath: DEFAULT_DATABASE_PATH,
      logLevel: "info",
    });
    expect(config.discord).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.indexCachePath).toBe(join(dirname(DEFAULT_DATABASE_PATH), ".paperbot-index"));
  });

  it("keeps the saved index beside the database, or nowhere with INDEX_CACHE_PATH=off", () => {
    expect(loadConfig({ DATABASE_PATH: "/var/lib/paperbot/state.db" }).indexCachePath).toBe(
      "/var/lib/paperbot/.paperbot-index",
    );
    expect(loadConfig({ INDEX_CACHE_PATH: "off" }).indexCachePath).toBeUndefined();
    expect(loadConfig({ INDEX_CACHE_PATH: "/tmp/idx" }).indexCachePath).toBe("/tmp/idx");
  });

  it("reads Discord and Slack settings, with Slack command names configurable", () => {
    const config = loadConfig({
      DISCORD_TOKEN: "t",
      DISCORD_APPLICATION_ID: "1",
      DISCORD_MENTIONS: "false",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_APP_TOKEN: "xapp-1",
      SLACK_COMMAND_PAPER: "/papers",
    });
    expect(config.discord).toMatchObject({ token: "t", applicationId: "1", mentions: false });
    expect(config.slack).toMatchObject({
      botToken: "xoxb-1",
      appToken: "xapp-1",
      commandNames: { paper: "/papers" },
    });
  });

  it("reads DISCORD_MENTIONS as true or false, and a typo as a problem rather than off", () => {
    const discord = { DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "1" };
    expect(loadConfig({ ...discord }).discord?.mentions).toBe(true);
    expect(loadConfig({ ...discord, DISCORD_MENTIONS: "off" }).discord?.mentions).toBe(false);
    expect(loadConfig({ ...discord, DISCORD_MENTIONS: "Yes" }).discord?.mentions).toBe(true);
    expect(problems({ ...discord, DISCORD_MENTIONS: "flase" })).toEqual([
      'DISCORD_MENTIONS must be true or false, got "flase"',
    ]);
  });

  it("lists every problem at once, without echoing secrets", () => {
    const found = problems({
      PORT: "x",
      LOG_LEVEL: "loud",
      SLACK_SIGNING_SECRET: "s3cret",
      DISCORD_TOKEN: "tok3n",
    });
    expect(found).toHaveLength(4);
    for (const name of ["PORT", "LOG_LEVEL", "DISCORD_APPLICATION_ID", "SLACK_BOT_TOKEN"]) {
      expect(found.some((problem) => problem.startsWith(name))).toBe(true);
    }
    expect(found.join("\n")).not.toMatch(/s3cret|tok3n/);
  });

  it("names a swapped Slack bot and app token, showing only their prefixes", () => {
    const found = problems({ SLACK_BOT_TOKEN: "xapp-1-A1-s3cret", SLACK_APP_TOKEN: "xoxb-9-s3cret" });
    expect(found).toEqual([
      expect.stringMatching(
        /^SLACK_BOT_TOKEN must be the Bot User OAuth Token, starting with xoxb- .*starting with xapp-, which belongs in SLACK_APP_TOKEN$/,
      ),
      expect.stringMatching(
        /^SLACK_APP_TOKEN must be an App-Level Token .*starting with xapp- .*starting with xoxb-, which belongs in SLACK_BOT_TOKEN$/,
      ),
    ]);
    expect(found.join("\n")).not.toContain("s3cret");
  });

  it("refuses a Slack bot token of another kind, or of no kind, without echoing it", () => {
    const user = problems({ SLACK_BOT_TOKEN: "xoxp-123-s3cret", SLACK_SIGNING_SECRET: "s" });
    expect(user).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN must be .*not a token starting with xoxp-$/),
    ]);
    const pasted = problems({ SLACK_BOT_TOKEN: "s3cret-without-prefix", SLACK_SIGNING_SECRET: "s" });
    expect(pasted).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN must be .*; the value set does not$/)]);
    const app = problems({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "s3cret" });
    expect(app).toEqual([expect.stringMatching(/^SLACK_APP_TOKEN must be an App-Level Token/)]);
    expect([...user, ...pasted, ...app].join("\n")).not.toContain("s3cret");
  });

  it("reads who may manage on Slack: anyone by default, else admins and DAILY_SLACK_MANAGERS", () => {
    const slack = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" };
    expect(loadConfig(slack).slack?.manage).toEqual({ anyoneCanManage: true, managers: [] });
    expect(
      loadConfig({
        ...slack,
        DAILY_SLACK_ANYONE_CAN_MANAGE: "false",
        DAILY_SLACK_MANAGERS: " U0123ABCD, w0456efgh U0123ABCD ",
      }).slack?.manage,
    ).toEqual({ anyoneCanManage: false, managers: ["U0123ABCD", "W0456EFGH"] });
    expect(
      problems({ ...slack, DAILY_SLACK_ANYONE_CAN_MANAGE: "nope", DAILY_SLACK_MANAGERS: "U1AB,@ada" }),
    ).toEqual([
      'DAILY_SLACK_ANYONE_CAN_MANAGE must be true or false, got "nope"',
      expect.stringMatching(/^DAILY_SLACK_MANAGERS: "@ada" is not a Slack member id like U0123ABCD/),
    ]);
  });

  it("refuses Discord HTTP mode and Slack HTTP mode on the same port", () => {
    const found = problems({
      DISCORD_PUBLIC_KEY: "a".repeat(64),
      DISCORD_APPLICATION_ID: "1",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
    });
    expect(found).toEqual([expect.stringContaining("both listen on PORT")]);
  });
});
