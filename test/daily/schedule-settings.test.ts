import { describe, expect, it } from "vitest";
import { parseScheduleSettings, parseTime } from "../../src/daily/schedule-settings.ts";
import { resolveTimeZone, suggestTimeZones } from "../../src/daily/time-zones.ts";

describe("parseScheduleSettings", () => {
  it("reads time, zone and filters in any order of time and zone", () => {
    expect(parseScheduleSettings("08:30 Europe/Zurich year:2023 hessian")).toEqual({
      time: "08:30",
      timeZone: "Europe/Zurich",
      filters: "year:2023 hessian",
    });
    expect(parseScheduleSettings("america/new_york 7am")).toEqual({
      time: "07:00",
      timeZone: "America/New_York",
      filters: "",
    });
    expect(parseScheduleSettings("")).toEqual({ filters: "" });
  });

  it("leaves numbers and single words as topic filters", () => {
    expect(parseScheduleSettings("2023 Japan")).toEqual({ filters: "2023 Japan" });
  });

  it("refuses unknown zones and fixed offsets with a hint", () => {
    expect(() => parseScheduleSettings("09:00 Europe/Zurik")).toThrow(/time zone "Europe\/Zurik"/);
    expect(() => parseScheduleSettings("09:00 +02:00")).toThrow(/fixed UTC offset/);
    expect(() => parseScheduleSettings("09:00 UTC+2")).toThrow(/fixed UTC offset/);
  });

  it("refuses unreadable filters before saving them", () => {
    expect(() => parseScheduleSettings("09:00 year:20x")).toThrow(/not a year/);
  });
});

describe("parseTime", () => {
  it("reads 24-hour and am/pm times", () => {
    expect(parseTime("9:05")).toBe("09:05");
    expect(parseTime("00:00")).toBe("00:00");
    expect(parseTime("12am")).toBe("00:00");
    expect(parseTime("12:30pm")).toBe("12:30");
    expect(parseTime("5:30PM")).toBe("17:30");
    expect(parseTime("17h")).toBe("17:00");
    expect(parseTime("2023")).toBeUndefined();
  });

  it("refuses impossible times", () => {
    expect(() => parseTime("24:00")).toThrow(/not a time of day/);
    expect(() => parseTime("9:60")).toThrow(/not a time of day/);
    expect(() => parseTime("13pm")).toThrow(/not a time of day/);
  });
});

describe("time zones", () => {
  it("canonicalises case and accepts UTC spellings", () => {
    expect(resolveTimeZone("europe/zurich")).toBe("Europe/Zurich");
    expect(resolveTimeZone("utc")).toBe("UTC");
    expect(resolveTimeZone("Mars/Olympus")).toBeUndefined();
  });

  it("suggests the zone a typo or a bare city meant", () => {
    expect(suggestTimeZones("Europe/Zurik")).toContain("Europe/Zurich");
    expect(suggestTimeZones("America/NewYork")).toContain("America/New_York");
    expect(suggestTimeZones("Asia/Tokio")).toContain("Asia/Tokyo");
  });
});
