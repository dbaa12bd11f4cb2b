import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DailyConfigError, readDailyConfig } from "../../src/daily/daily-config.ts";

describe("readDailyConfig", () => {
  it("has defaults: 09:00 UTC, any Slack member may manage, no seeds", () => {
    expect(readDailyConfig({})).toEqual({
      defaultTime: "09:00",
      defaultTimeZone: "UTC",
      slackAnyoneCanManage: true,
      seeds: [],
    });
  });

  it("reads DAILY_CHANNELS entries with optional time, zone and filters", () => {
    const config = readDailyConfig({
      DAILY_CHANNELS: "discord:123@09:00 Europe/Zurich year:2023, slack:C123@08:30 ;console:console",
      DAILY_TIMEZONE: "America/New_York",
      DAILY_DEFAULT_TIME: "7:15",
      DAILY_SLACK_ANYONE_CAN_MANAGE: "false",
    });
    expect(config.defaultTimeZone).toBe("America/New_York");
    expect(config.defaultTime).toBe("07:15");
    expect(config.slackAnyoneCanManage).toBe(false);
    expect(
      config.seeds.map(({ platform, channelId, settings }) => ({ platform, channelId, settings })),
    ).toEqual([
      {
        platform: "discord",
        channelId: "123",
        settings: { time: "09:00", timeZone: "Europe/Zurich", filters: "year:2023" },
      },
      { platform: "slack", channelId: "C123", settings: { time: "08:30", filters: "" } },
      { platform: "console", channelId: "console", settings: { filters: "" } },
    ]);
  });

  it("reads DAILY_CHANNELS_FILE one entry a line, with comments and commas inside filters", () => {
    const file = join(mkdtempSync(join(tmpdir(), "paperbot-cfg-")), "daily.txt");
    writeFileSync(file, '# lab channels\ndiscord:1@10:00 author:"Hofmann, T"\n\nslack:C2\n');
    const config = readDailyConfig({ DAILY_CHANNELS_FILE: file });
    expect(config.seeds.map((seed) => seed.settings.filters)).toEqual(['author:"Hofmann, T"', ""]);
  });

  it("lists every problem at once", () => {
    try {
      readDailyConfig({
        DAILY_CHANNELS: "teams:1@09:00, discord:2@09:00 Europe/Zurik, discord:2",
        DAILY_TIMEZONE: "Nowhere/Special",
        DAILY_SLACK_ANYONE_CAN_MANAGE: "maybe",
        DAILY_CHANNELS_FILE: "/no/such/file",
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DailyConfigError);
      const problems = (error as DailyConfigError).problems.join("\n");
      expect(problems).toContain("platform must be one of discord, slack, console");
      expect(problems).toContain('time zone "Europe/Zurik"');
      expect(problems).toContain("DAILY_TIMEZONE");
      expect(problems).toContain("DAILY_SLACK_ANYONE_CAN_MANAGE");
      expect(problems).toContain("DAILY_CHANNELS_FILE");
    }
  });

  it("refuses the same channel listed twice", () => {
    expect(() => readDailyConfig({ DAILY_CHANNELS: "slack:C1@09:00,slack:C1@10:00" })).toThrow(
      /more than once/,
    );
  });
});
