/** pg binds values by position only: these keep a statement's $n and its values in one column order. */

/** "$1, $2, ...", one for each column. */
export function pgPlaceholders(columns: readonly string[]): string {
  return columns.map((_, index) => `$${index + 1}`).join(", ");
}

/** The row's values in `columns` order, for the placeholders above. */
export function pgValues<Row>(row: Row, columns: readonly (keyof Row)[]): unknown[] {
  return columns.map((column) => row[column]);
}
