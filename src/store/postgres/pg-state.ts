/**
 * Every kind of state in PostgreSQL (DATABASE_URL), for any number of processes: one pool shared by
 * the stores, the database migrated before the first store is used.
 */
import type { Logger } from "../../core/logger.ts";
import type { State } from "../state.ts";
import { StoreError } from "../store-error.ts";
import { PgDailyStore } from "./pg-daily-store.ts";
import { describePgUrl, migratePg, openPgPool } from "./pg-database.ts";
import { PgFollowStore } from "./pg-follow-store.ts";
import { PgKeyStore } from "./pg-key-store.ts";
import { PgPaperStore } from "./pg-paper-store.ts";
import { PG_SCHEMA_VERSION } from "./pg-schema.ts";

export async function openPgState(url: string, logger?: Logger): Promise<State> {
  const pool = openPgPool(url, logger);
  try {
    await migratePg(pool);
  } catch (error) {
    await pool.end();
    if (error instanceof StoreError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(`PostgreSQL at ${describePgUrl(url)} (DATABASE_URL) could not be opened: ${reason}`);
  }
  logger?.debug("state database open", { database: describePgUrl(url), schema: PG_SCHEMA_VERSION });
  let closed = false;
  return {
    daily: new PgDailyStore(pool),
    papers: new PgPaperStore(pool),
    follows: new PgFollowStore(pool),
    keys: new PgKeyStore(pool),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
