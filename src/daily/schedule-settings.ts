/** Reads the settings of `/daily on [HH:MM] [timezone] [filters]` (also used for DAILY_CHANNELS entries). */
import { UserError } from "../core/errors.ts";
import { checkFilters } from "./paper-pool.ts";
import { looksLikeTimeZone, resolveTimeZone, suggestTimeZones } from "./time-zones.ts";

export interface ScheduleSettings {
  /** "HH:MM", 24-hour; absent when not given. */
  time?: string;
  /** Canonical IANA name; absent when not given. */
  timeZone?: string;
  /** Filter text as typed (normalised spacing), "" for none. */
  filters: string;
}

export const TIME_HINT = "Use a 24-hour time like 09:00 or 17:30 (9am and 5:30pm work too).";

const TIME_PATTERN = /^(\d{1,2})(?::(\d{2}))?(am|pm|h)?$/i;

/** "9", "09:00", "9:30pm", "17h" -> "HH:MM"; undefined when the token is not a time at all. */
export function parseTime(token: string): string | undefined {
  const match = token.match(TIME_PATTERN);
  if (!match) return undefined;
  let hours = Number(match[1]);
  const minutes = Number(match[2] ?? "0");
  const suffix = match[3]?.toLowerCase();
  // A bare number is a time only with a colon or a suffix; "2023" stays a topic word.
  if (match[2] === undefined && suffix === undefined) return undefined;
  if (suffix === "am" || suffix === "pm") {
    if (hours < 1 || hours > 12)
      throw new UserError("bad_input", `"${token}" is not a time of day.`, TIME_HINT);
    hours = (hours % 12) + (suffix === "pm" ? 12 : 0);
  }
  if (hours > 23 || minutes > 59)
    throw new UserError("bad_input", `"${token}" is not a time of day.`, TIME_HINT);
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

export function timeZoneError(token: string): UserError {
  const suggestions = suggestTimeZones(token);
  const hint =
    suggestions.length > 0
      ? `Did you mean ${suggestions.join(", ")}? Time zones are IANA names like Europe/Zurich or America/New_York.`
      : "Time zones are IANA names like Europe/Zurich, America/New_York, Asia/Tokyo or UTC.";
  return new UserError("bad_input", `I don't know the time zone "${token.slice(0, 64)}".`, hint);
}

export function parseScheduleSettings(text: string): ScheduleSettings {
  const settings: ScheduleSettings = { filters: "" };
  const filterTokens: string[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    if (settings.time === undefined && filterTokens.length === 0) {
      const time = parseTime(token);
      if (time !== undefined) {
        settings.time = time;
        continue;
      }
    }
    if (settings.timeZone === undefined && filterTokens.length === 0 && looksLikeTimeZone(token)) {
      const zone = resolveTimeZone(token);
      if (!zone) throw timeZoneError(token);
      settings.timeZone = zone;
      continue;
    }
    if (/^[+-]\d{1,2}(?::?\d{2})?$|^(?:utc|gmt)[+-]\d/i.test(token)) {
      throw new UserError(
        "bad_input",
        `"${token}" is a fixed UTC offset; it would not follow daylight saving time.`,
        "Use an IANA time zone name like Europe/Zurich or America/New_York.",
      );
    }
    filterTokens.push(token);
  }
  settings.filters = filterTokens.join(" ");
  checkFilters(settings.filters); // syntax errors surface now, not at posting time
  return settings;
}
