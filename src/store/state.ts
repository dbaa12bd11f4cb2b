/**
 * Every kind of state the bot keeps, opened together. SQLite at DATABASE_PATH: one file, one
 * connection shared by the stores.
 */
import type { Logger } from "../core/logger.ts";
import type { DailyStore } from "../daily/daily-store.ts";
import { SqliteDailyStore } from "../daily/sqlite-daily-store.ts";
import type { FollowStore } from "./follow-store.ts";
import type { PaperStore } from "./paper-store.ts";
import { openSqliteDatabase } from "./sqlite/sqlite-database.ts";
import { SqliteFollowStore } from "./sqlite/sqlite-follow-store.ts";
import { SqlitePaperStore } from "./sqlite/sqlite-paper-store.ts";

export interface State {
  daily: DailyStore;
  papers: PaperStore;
  follows: FollowStore;
  close(): Promise<void>;
}

export function openSqliteState(path: string, logger?: Logger): State {
  const db = openSqliteDatabase(path, logger);
  return {
    daily: new SqliteDailyStore(db),
    papers: new SqlitePaperStore(db),
    follows: new SqliteFollowStore(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
