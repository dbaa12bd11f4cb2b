/**
 * Every kind of state the bot keeps, opened together: PostgreSQL when DATABASE_URL is set (any
 * number of processes), otherwise SQLite at DATABASE_PATH (one file, one connection shared by the
 * stores). Either way, a database that stops answering surfaces as StateUnavailableError.
 */
import type { Logger } from "../core/logger.ts";
import type { DailyStore } from "./daily-store.ts";
import type { FollowStore } from "./follow-store.ts";
import type { KeyStore } from "./key-store.ts";
import type { PaperStore } from "./paper-store.ts";
import { openPgState } from "./postgres/pg-state.ts";
import { SqliteDailyStore } from "./sqlite/sqlite-daily-store.ts";
import { openSqliteDatabase } from "./sqlite/sqlite-database.ts";
import { SqliteFollowStore } from "./sqlite/sqlite-follow-store.ts";
import { SqliteKeyStore } from "./sqlite/sqlite-key-store.ts";
import { SqlitePaperStore } from "./sqlite/sqlite-paper-store.ts";
import { reportingUnavailable } from "./unavailable.ts";

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

/** The state the configuration asks for. Throws StoreError when it cannot be opened as configured. */
export async function openState(
  where: { databaseUrl?: string; databasePath: string },
  logger?: Logger,
): Promise<State> {
  const state = where.databaseUrl
    ? await openPgState(where.databaseUrl, logger)
    : openSqliteState(where.databasePath, logger);
  return {
    daily: reportingUnavailable(state.daily),
    papers: reportingUnavailable(state.papers),
    follows: reportingUnavailable(state.follows),
    keys: reportingUnavailable(state.keys),
    close: () => state.close(),
  };
}
