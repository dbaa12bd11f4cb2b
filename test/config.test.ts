import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

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
      papersPath: "data",
      port: 3000,
      databasePath: "paperbot.db",
      logLevel: "info",
    });
    expect(config.discord).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.indexCachePath).toBe(".paperbot-index");
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
