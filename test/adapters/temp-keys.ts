/**
 * The shared KeyStore the adapters get in production, on a fresh SQLite file: what replicas share
 * (several adapters opened on one TempKeys share it exactly as processes on one database do).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KeyStore } from "../../src/store/key-store.ts";
import { openSqliteDatabase } from "../../src/store/sqlite/sqlite-database.ts";
import { SqliteKeyStore } from "../../src/store/sqlite/sqlite-key-store.ts";
import { openSqliteState } from "../../src/store/state.ts";

export interface TempKeys {
  keys: KeyStore;
  path: string;
  /** Closes the database (later calls on `keys` throw) and deletes the file. */
  close(): Promise<void>;
}

export function openTempKeys(): TempKeys {
  const folder = mkdtempSync(join(tmpdir(), "paperbot-keys-"));
  const path = join(folder, "state.db");
  const state = openSqliteState(path);
  return {
    keys: state.keys,
    path,
    async close() {
      await state.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The same SQLite KeyStore with a clock the test moves, for expiry. */
export function openTempKeysWithClock(now: () => number): TempKeys {
  const folder = mkdtempSync(join(tmpdir(), "paperbot-keys-"));
  const path = join(folder, "state.db");
  const db = openSqliteDatabase(path);
  return {
    keys: new SqliteKeyStore(db, now),
    path,
    async close() {
      if (db.open) db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
