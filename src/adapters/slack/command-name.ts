/** Slack command names are lower case and start with a slash; config may omit the slash. */
export function normalizeName(name: string): string {
  const trimmed = name.trim().toLowerCase();
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

/** Every configured name in its normal form, so help and routing agree. */
export function normalizeNames<T extends Record<string, string | undefined>>(names: T): T {
  return Object.fromEntries(
    Object.entries(names).map(([key, value]) => [key, value ? normalizeName(value) : undefined]),
  ) as T;
}
