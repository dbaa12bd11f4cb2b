/** "@a, @b, ...": placeholders that better-sqlite3 binds by name from a row object with those keys. */
export function namedPlaceholders(columns: readonly string[]): string {
  return columns.map((column) => `@${column}`).join(", ");
}
