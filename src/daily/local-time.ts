/**
 * Wall-clock arithmetic in IANA time zones with nothing but Intl: which local day an instant
 * falls on, and when a local HH:MM happens on a given day (DST gaps and overlaps included).
 */

/** A local calendar day, "YYYY-MM-DD". */
export type LocalDay = string;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = FORMATTERS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    FORMATTERS.set(timeZone, format);
  }
  return format;
}

/** The wall clock in `timeZone` at `instant`, read from Intl (slow: about 40 µs). */
function readWallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
}

/** Offsets by zone and UTC minute: zones change offset only on whole minutes, and ticks ask the same minutes. */
const OFFSETS = new Map<string, Map<number, number>>();
const MAX_CACHED_OFFSETS = 20_000;

/** The wall clock in `timeZone` at `instant`, expressed as if it were a UTC timestamp (ms). */
function wallClock(instant: number, timeZone: string): number {
  const minute = Math.floor(instant / MINUTE_MS) * MINUTE_MS;
  let offsets = OFFSETS.get(timeZone);
  if (!offsets) {
    offsets = new Map();
    OFFSETS.set(timeZone, offsets);
  }
  let offset = offsets.get(minute);
  if (offset === undefined) {
    offset = readWallClock(minute, timeZone) - minute;
    if (offsets.size >= MAX_CACHED_OFFSETS) offsets.clear();
    offsets.set(minute, offset);
  }
  return instant + offset;
}

/** Offset of local time from UTC at `instant`, in ms (positive east of Greenwich). */
export function utcOffsetMs(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone) - instant;
}

export function localDay(instant: number, timeZone: string): LocalDay {
  return new Date(wallClock(instant, timeZone)).toISOString().slice(0, 10);
}

export function addDays(day: LocalDay, days: number): LocalDay {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The instant the local time `minutes` (after midnight) happens on `day` in `timeZone`.
 * In a DST overlap (the time happens twice) the first one; in a DST gap (it never happens)
 * the first instant after the gap, as cron implementations such as croner do, unless the gap
 * ends at midnight (America/Nuuk springs from 23:00 to 00:00): then the last minute before it,
 * so that every day keeps its slot within that day.
 */
export function scheduledInstant(day: LocalDay, minutes: number, timeZone: string): number {
  const wall = Date.parse(`${day}T00:00:00Z`) + minutes * MINUTE_MS;
  // Offsets a day either side bracket any transition near the wanted time (zones change at most once a day).
  const before = utcOffsetMs(wall - DAY_MS, timeZone);
  const after = utcOffsetMs(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after]
    .filter((instant) => wallClock(instant, timeZone) === wall)
    .sort((a, b) => a - b);
  if (candidates[0] !== undefined) return candidates[0];
  // A gap: find the transition, the first instant whose wall clock is past the wanted time.
  let low = Math.min(wall - before, wall - after);
  let high = Math.max(wall - before, wall - after);
  while (high - low > MINUTE_MS) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (wallClock(middle, timeZone) >= wall) high = middle;
    else low = middle;
  }
  return localDay(high, timeZone) === day ? high : high - MINUTE_MS;
}

/** The first instant of `day` in `timeZone`, and the first of the day after: the span the day's post belongs to. */
export function daySpan(day: LocalDay, timeZone: string): { start: number; end: number } {
  return { start: scheduledInstant(day, 0, timeZone), end: scheduledInstant(addDays(day, 1), 0, timeZone) };
}

/** "HH:MM" to minutes after midnight. */
export function minutesOfDay(time: string): number {
  const [hours = "0", minutes = "0"] = time.split(":");
  return Number(hours) * 60 + Number(minutes);
}

/** e.g. "UTC+01:00", "UTC-03:30", "UTC". */
export function formatOffset(offsetMs: number): string {
  if (offsetMs === 0) return "UTC";
  const total = Math.round(Math.abs(offsetMs) / MINUTE_MS);
  const hours = String(Math.floor(total / 60)).padStart(2, "0");
  const minutes = String(total % 60).padStart(2, "0");
  return `UTC${offsetMs < 0 ? "-" : "+"}${hours}:${minutes}`;
}

/** "2024-03-15 09:00" in `timeZone`. */
export function formatLocal(instant: number, timeZone: string): string {
  return new Date(wallClock(instant, timeZone)).toISOString().slice(0, 16).replace("T", " ");
}
