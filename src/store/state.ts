/**
 * Every kind of state the bot keeps, opened together. SQLite at DATABASE_PATH: one file, one
 * connection shared by the stores.
 */
import type { Logger } from "../core/logger.ts";
import type { DailyStore } from "./daily-store.ts";
import type { FollowStore } from "./follow-store.ts";
import type { KeyStore } from "./key-store.ts";
import type { PaperStore } from "./paper-store.ts";
import { SqliteDailyStore } from "./sqlite/sqlite-daily-store.ts";
import { openSqliteDatabase } from "./sqlite/sqlite-database.ts";
import { SqliteFollowStore } from "./sqlite/sqlite-follow-store.ts";
import { SqliteKeyStore } from "./sqlite/sqlite-key-store.ts";
import { SqlitePaperStore } from "./sqlite/sqlite-paper-store.ts";

export interface State {
  daily: DailyStore;
  papers: PaperStore;
  follows: FollowStore;
  keys: KeyStore;
  close(): Promise<void>;
}

export function openSqliteState(path: string, logger?: Logger): State {
  const db = openSqliteDatabase(path, logger);
  return {
    daily: new SqliteDailyStore(db),
    papers: new SqlitePaperStore(db),
    follows: new SqliteFollowStore(db),
    keys: new SqliteKeyStore(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
