/**
 * The two column types SQLite and PostgreSQL keep differently; every other column reads and writes
 * the same in both. Readers accept either form, so one row mapper serves both databases; writers
 * take the database's encoding.
 */

/** A yes/no column: INTEGER 0 or 1 in SQLite (better-sqlite3 binds no booleans), BOOLEAN in PostgreSQL. */
export type FlagColumn = number | boolean;

/** A list of ids: JSON text in SQLite (it has no array type), TEXT[] in PostgreSQL. */
export type IdListColumn = string | string[];

export function readFlag(value: FlagColumn): boolean {
  return Boolean(value);
}

export function readIdList(value: IdListColumn): string[] {
  return typeof value === "string" ? (JSON.parse(value) as string[]) : value;
}

/** How one database writes the columns above. */
export interface ColumnEncoding {
  flag(value: boolean): FlagColumn;
  idList(ids: string[]): IdListColumn;
}

export const SQLITE_ENCODING: ColumnEncoding = {
  flag: (value) => (value ? 1 : 0),
  idList: (ids) => JSON.stringify(ids),
};

export const PG_ENCODING: ColumnEncoding = {
  flag: (value) => value,
  idList: (ids) => ids,
};
