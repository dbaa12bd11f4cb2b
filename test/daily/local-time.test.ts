import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { isDue } from "../../src/daily/daily-engine.ts";
import {
  addDays,
  daySpan,
  formatLocal,
  localDay,
  minutesOfDay,
  scheduledInstant,
  utcOffsetMs,
} from "../../src/daily/local-time.ts";
import { fixtureSubscription } from "./helpers.ts";

const iso = (instant: number) => new Date(instant).toISOString();

describe("scheduledInstant", () => {
  it("places a plain local time with the zone's offset", () => {
    expect(iso(scheduledInstant("2024-01-15", minutesOfDay("09:00"), "Europe/Zurich"))).toBe(
      "2024-01-15T08:00:00.000Z",
    );
    expect(iso(scheduledInstant("2024-07-15", minutesOfDay("09:00"), "Europe/Zurich"))).toBe(
      "2024-07-15T07:00:00.000Z",
    );
    expect(iso(scheduledInstant("2024-07-15", minutesOfDay("09:00"), "Asia/Kolkata"))).toBe(
      "2024-07-15T03:30:00.000Z",
    );
    expect(iso(scheduledInstant("2024-07-15", minutesOfDay("09:00"), "Asia/Kathmandu"))).toBe(
      "2024-07-15T03:15:00.000Z",
    );
    expect(iso(scheduledInstant("2024-07-15", minutesOfDay("09:00"), "UTC"))).toBe(
      "2024-07-15T09:00:00.000Z",
    );
  });

  it("moves a time inside the spring-forward gap to the end of the gap", () => {
    // Zurich skips 02:00-03:00 on 2024-03-31.
    expect(iso(scheduledInstant("2024-03-31", minutesOfDay("02:30"), "Europe/Zurich"))).toBe(
      "2024-03-31T01:00:00.000Z",
    );
    // New York skips 02:00-03:00 on 2024-03-10.
    expect(iso(scheduledInstant("2024-03-10", minutesOfDay("02:15"), "America/New_York"))).toBe(
      "2024-03-10T07:00:00.000Z",
    );
    // Lord Howe Island moves by only 30 minutes: 02:00 -> 02:30 on 2024-10-06.
    expect(
      formatLocal(
        scheduledInstant("2024-10-06", minutesOfDay("02:10"), "Australia/Lord_Howe"),
        "Australia/Lord_Howe",
      ),
    ).toBe("2024-10-06 02:30");
  });

  it("uses the first of the two instants when a time repeats in the autumn overlap", () => {
    // Zurich repeats 02:00-03:00 on 2024-10-27: first at 00:30Z (CEST), again at 01:30Z (CET).
    expect(iso(scheduledInstant("2024-10-27", minutesOfDay("02:30"), "Europe/Zurich"))).toBe(
      "2024-10-27T00:30:00.000Z",
    );
    expect(iso(scheduledInstant("2024-11-03", minutesOfDay("01:30"), "America/New_York"))).toBe(
      "2024-11-03T05:30:00.000Z",
    );
  });

  it("keeps times just after a transition on the new offset", () => {
    expect(iso(scheduledInstant("2024-03-31", minutesOfDay("03:00"), "Europe/Zurich"))).toBe(
      "2024-03-31T01:00:00.000Z",
    );
    expect(iso(scheduledInstant("2024-10-27", minutesOfDay("03:00"), "Europe/Zurich"))).toBe(
      "2024-10-27T02:00:00.000Z",
    );
  });

  it("handles midnight and the last minute of the day", () => {
    expect(iso(scheduledInstant("2024-06-01", 0, "America/Los_Angeles"))).toBe("2024-06-01T07:00:00.000Z");
    expect(iso(scheduledInstant("2024-06-01", minutesOfDay("23:59"), "Pacific/Auckland"))).toBe(
      "2024-06-01T11:59:00.000Z",
    );
    // Chile's DST in 2024 started at 00:00 local: midnight does not exist on 2024-09-08.
    expect(formatLocal(scheduledInstant("2024-09-08", 0, "America/Santiago"), "America/Santiago")).toBe(
      "2024-09-08 01:00",
    );
  });

  const ZONES = [
    "UTC",
    "Europe/Zurich",
    "Europe/London",
    "America/New_York",
    "America/Santiago",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Africa/Cairo",
  ];
  const TIMES = ["00:00", "02:30", "09:00", "23:59"];

  it("agrees with croner for every day of 2024 in many zones", () => {
    let checked = 0;
    for (const zone of ZONES) {
      for (const time of TIMES) {
        const [hours, minutes] = time.split(":");
        const cron = new Cron(`${Number(minutes)} ${Number(hours)} * * *`, { timezone: zone, paused: true });
        let day = "2024-01-01";
        // croner's next run after the moment the previous local day's run happened.
        let previous = scheduledInstant(addDays(day, -1), minutesOfDay(time), zone);
        for (let i = 0; i < 366; i++, day = addDays(day, 1)) {
          const mine = scheduledInstant(day, minutesOfDay(time), zone);
          const theirs = cron.nextRun(new Date(previous))?.getTime();
          previous = mine;
          if (localDay(mine, zone) !== day) continue; // a day with no such time at all (skipped midnight)
          expect({ zone, time, day, at: iso(mine) }).toEqual({ zone, time, day, at: iso(theirs ?? 0) });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(ZONES.length * TIMES.length * 360);
  });
});

/** Instants (to the minute) in [from, to) where the zone's UTC offset changes, found by weekly steps and bisection. */
function transitions(zone: string, from: number, to: number): number[] {
  const WEEK = 7 * 86_400_000;
  const found: number[] = [];
  for (let at = from; at < to; at += WEEK) {
    if (utcOffsetMs(at, zone) === utcOffsetMs(at + WEEK, zone)) continue;
    let low = at;
    let high = at + WEEK;
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (utcOffsetMs(middle, zone) === utcOffsetMs(low, zone)) low = middle;
      else high = middle;
    }
    found.push(high);
  }
  return found;
}

describe("every zone's DST transitions, 2024 to 2026", () => {
  it("gives each local day around a transition exactly one due minute, within that day", () => {
    const MINUTE = 60_000;
    let checked = 0;
    for (const zone of Intl.supportedValuesOf("timeZone")) {
      for (const change of transitions(
        zone,
        Date.parse("2024-01-01T00:00:00Z"),
        Date.parse("2027-01-01T00:00:00Z"),
      )) {
        const day = localDay(change, zone);
        // The local times near the change (every quarter hour within two hours), and the day's ends.
        const local = Math.floor((change + utcOffsetMs(change - MINUTE, zone)) / MINUTE) % 1440;
        const times = new Set([0, 1439]);
        for (let delta = -120; delta <= 120; delta += 15) times.add((((local + delta) % 1440) + 1440) % 1440);
        for (const around of [addDays(day, -1), day, addDays(day, 1)]) {
          const { start, end } = daySpan(around, zone);
          for (const minutes of times) {
            const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
            const at = scheduledInstant(around, minutes, zone);
            const where = { zone, day: around, time, at: iso(at) };
            expect({ ...where, inDay: at >= start && at < end }).toEqual({ ...where, inDay: true });
            // Ticks each minute: due from the slot on, not the minute before; and the same day throughout.
            const subscription = fixtureSubscription({ time, timeZone: zone });
            expect({ ...where, due: isDue(subscription, at) }).toEqual({ ...where, due: around });
            expect({ ...where, before: isDue(subscription, at - MINUTE) === around }).toEqual({
              ...where,
              before: false,
            });
            expect({ ...where, last: isDue(subscription, end - MINUTE) }).toEqual({ ...where, last: around });
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  }, 60_000);
});

describe("localDay", () => {
  it("changes exactly at local midnight", () => {
    const midnight = Date.parse("2024-03-15T23:00:00Z"); // 00:00 in Zurich (UTC+1)
    expect(localDay(midnight - 1, "Europe/Zurich")).toBe("2024-03-15");
    expect(localDay(midnight, "Europe/Zurich")).toBe("2024-03-16");
    expect(localDay(midnight, "UTC")).toBe("2024-03-15");
    expect(localDay(midnight, "Pacific/Kiritimati")).toBe("2024-03-16");
    expect(localDay(midnight, "Pacific/Honolulu")).toBe("2024-03-15");
  });

  it("reports offsets across DST", () => {
    expect(utcOffsetMs(Date.parse("2024-01-01T12:00:00Z"), "Europe/Zurich")).toBe(3_600_000);
    expect(utcOffsetMs(Date.parse("2024-07-01T12:00:00Z"), "Europe/Zurich")).toBe(7_200_000);
  });

  it("adds days across month, year and leap-day boundaries", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
  });
});
