/** Reading IANA time zone names people type, with "did you mean" hints for the ones that are not. */

const UTC_NAMES = new Set(["utc", "gmt", "etc/utc", "etc/gmt", "z", "zulu", "universal"]);

let knownZones: readonly string[] | undefined;

function zones(): readonly string[] {
  knownZones ??= [...Intl.supportedValuesOf("timeZone"), "UTC"];
  return knownZones;
}

/** The canonical spelling of an IANA zone ("europe/zurich" -> "Europe/Zurich"), or undefined. */
export function resolveTimeZone(name: string): string | undefined {
  const trimmed = name.trim();
  if (UTC_NAMES.has(trimmed.toLowerCase())) return "UTC";
  // Offsets such as "+02:00" are not zones: they have no DST rules, so refuse them.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+$/.test(trimmed)) return undefined;
  const lowered = trimmed.toLowerCase();
  const known = zones().find((zone) => zone.toLowerCase() === lowered);
  if (known) return known;
  try {
    // Intl also knows aliases such as "US/Eastern" or "Asia/Calcutta".
    return new Intl.DateTimeFormat("en-US", { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** True for tokens that look like an attempt at a zone name (so an unknown one is an error, not a topic). */
export function looksLikeTimeZone(token: string): boolean {
  return (
    UTC_NAMES.has(token.toLowerCase()) ||
    (/^[A-Za-z][A-Za-z_+-]*\/[A-Za-z0-9_/+-]+$/.test(token) && !token.includes(":"))
  );
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Up to `limit` zone names close to `name`: same city, or a few typos away. */
export function suggestTimeZones(name: string, limit = 3): string[] {
  const wanted = name.trim().toLowerCase().replace(/\s+/g, "_");
  const city = wanted.split("/").pop() ?? wanted;
  return zones()
    .map((zone) => {
      const lowered = zone.toLowerCase();
      const zoneCity = lowered.split("/").pop() ?? lowered;
      const distance = Math.min(
        editDistance(wanted, lowered),
        zoneCity === city ? 0 : editDistance(city, zoneCity) + 1,
      );
      return { zone, distance };
    })
    .filter((candidate) => candidate.distance <= Math.max(2, Math.floor(wanted.length / 4)))
    .sort((a, b) => a.distance - b.distance || a.zone.localeCompare(b.zone))
    .slice(0, limit)
    .map((candidate) => candidate.zone);
}
