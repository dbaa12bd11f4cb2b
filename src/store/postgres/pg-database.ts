/**
 * The PostgreSQL connection pool every PostgreSQL store shares, the migrations that bring a database
 * to the schema this code knows, and the one way the stores run a transaction.
 */
import pg from "pg";
import type { Logger } from "../../core/logger.ts";
import { StoreError } from "../store-error.ts";
import { PG_MIGRATIONS } from "./pg-schema.ts";

/** Enough for a replica's bursts (a daily pass, a follow check, chat traffic) without crowding the server. */
const POOL_MAX = 10;
/** How long to wait for a connection: "try again shortly" should come within a few seconds. */
const CONNECT_TIMEOUT_MS = 5_000;
/** A query on a connection that went silent fails after this instead of TCP's many minutes. */
const QUERY_TIMEOUT_MS = 10_000;

/** libpq's `connect_timeout` (seconds) in DATABASE_URL, which pg itself does not read. */
function connectTimeoutMs(url: string): number {
  try {
    const seconds = Number(new URL(url).searchParams.get("connect_timeout"));
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : CONNECT_TIMEOUT_MS;
  } catch {
    return CONNECT_TIMEOUT_MS;
  }
}
const IDLE_TIMEOUT_MS = 30_000;
/** Held for the migration transaction, so replicas starting together migrate one after another. */
const MIGRATION_LOCK = "8097880486987845492"; // "paperbot" in ASCII, as a 64-bit number

/**
 * BIGINT (times in ms, identities) as a JS number rather than pg's default string: every value the
 * stores keep is far below 2^53. Set per pool, not globally, so other pg users in the process are untouched.
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: (oid, format) =>
    oid === pg.types.builtins.INT8 && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format),
};

/** "host:port/database" from a connection URL, never its password, for messages and logs. */
export function describePgUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

export function openPgPool(url: string, logger?: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    connectionTimeoutMillis: connectTimeoutMs(url),
    query_timeout: QUERY_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    keepAlive: true,
    application_name: "paperbot",
    types: TYPES,
  });
  // An idle connection can die at any time (server restart, failover, a DBA's pg_terminate_backend).
  // pg-pool then drops it and emits "error" on the pool; unheard, that event would end the process.
  pool.on("error", (error) => {
    logger?.warn("PostgreSQL dropped an idle connection; the pool opens a new one when needed", {
      database: describePgUrl(url),
      message: error.message,
    });
  });
  return pool;
}

/**
 * Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled back
 * when it throws. A connection that fails even to roll back is destroyed rather than reused.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Brings the database to the newest schema version, each migration exactly once however many
 * replicas start at the same moment: all of it runs in one transaction holding an advisory lock,
 * so the others wait and then find nothing left to do. A newer database is refused, never downgraded.
 */
export async function migratePg(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    // Created only when missing (not IF NOT EXISTS, which needs CREATE rights even when the table is
    // there), so a role that may only read and write data can open an already migrated database.
    const { rows: found } = await client.query<{ table: string | null }>(
      "SELECT to_regclass('paperbot_schema_migrations') AS table",
    );
    if (!found[0]?.table) {
      await client.query(
        `CREATE TABLE paperbot_schema_migrations (
           version INTEGER PRIMARY KEY,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )`,
      );
    }
    const { rows } = await client.query<{ version: number | null }>(
      "SELECT MAX(version) AS version FROM paperbot_schema_migrations",
    );
    const version = rows[0]?.version ?? 0;
    if (version > PG_MIGRATIONS.length) {
      throw new StoreError(
        `The PostgreSQL database has schema version ${version}, newer than this paperbot knows ` +
          `(${PG_MIGRATIONS.length}). Run a newer paperbot, or point DATABASE_URL at another database.`,
      );
    }
    for (let next = version + 1; next <= PG_MIGRATIONS.length; next++) {
      await client.query(PG_MIGRATIONS[next - 1] as string);
      await client.query("INSERT INTO paperbot_schema_migrations (version) VALUES ($1)", [next]);
    }
  });
}
