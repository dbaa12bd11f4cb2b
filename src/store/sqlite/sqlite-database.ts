/**
 * The SQLite state database (better-sqlite3, WAL) every SQLite store shares. Opening is careful: a
 * file that is not a SQLite database, or is damaged, is refused with a message and never written
 * to; a missing file is created only when its folder exists. Schema changes are numbered
 * migrations tracked in PRAGMA user_version, one list for every kind of state in the file.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "../../core/logger.ts";
import { StoreError } from "../store-error.ts";

const SQLITE_HEADER = "SQLite format 3\u0000";

/** Migration n (1-based) takes the schema from user_version n-1 to n. Append only; never edit a shipped one. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE daily_subscriptions (
     platform TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     enabled INTEGER NOT NULL,
     time TEXT NOT NULL,
     time_zone TEXT NOT NULL,
     filters TEXT NOT NULL,
     active_from INTEGER NOT NULL,
     seed TEXT NOT NULL,
     rotation INTEGER NOT NULL,
     rotation_started_at INTEGER NOT NULL,
     source TEXT NOT NULL,
     updated_by TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (platform, channel_id)
   );
   CREATE TABLE daily_posts (
     platform TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     day TEXT NOT NULL,
     paper_id TEXT NOT NULL,
     rotation INTEGER NOT NULL,
     idempotency_key TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
     attempts INTEGER NOT NULL,
     next_attempt_at INTEGER NOT NULL,
     claimed_at INTEGER NOT NULL,
     sent_at INTEGER,
     message_id TEXT,
     last_error TEXT,
     trigger TEXT NOT NULL,
     PRIMARY KEY (platform, channel_id, day)
   );
   CREATE INDEX daily_posts_pending ON daily_posts (status) WHERE status = 'claimed';
   CREATE TABLE daily_papers_seen (
     paper_id TEXT PRIMARY KEY,
     first_seen_at INTEGER NOT NULL
   );`,
  // A post's day is a span of time only with its zone: after a zone change the same date is another day.
  `CREATE TABLE daily_posts_by_zone (
     platform TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     day TEXT NOT NULL,
     time_zone TEXT NOT NULL,
     paper_id TEXT NOT NULL,
     rotation INTEGER NOT NULL,
     idempotency_key TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
     attempts INTEGER NOT NULL,
     next_attempt_at INTEGER NOT NULL,
     claimed_at INTEGER NOT NULL,
     sent_at INTEGER,
     message_id TEXT,
     last_error TEXT,
     trigger TEXT NOT NULL,
     PRIMARY KEY (platform, channel_id, day, time_zone)
   );
   INSERT INTO daily_posts_by_zone
     SELECT p.platform, p.channel_id, p.day, COALESCE(s.time_zone, 'UTC'), p.paper_id, p.rotation,
       p.idempotency_key, p.status, p.attempts, p.next_attempt_at, p.claimed_at, p.sent_at, p.message_id,
       p.last_error, p.trigger
     FROM daily_posts p LEFT JOIN daily_subscriptions s USING (platform, channel_id);
   DROP TABLE daily_posts;
   ALTER TABLE daily_posts_by_zone RENAME TO daily_posts;
   CREATE INDEX daily_posts_pending ON daily_posts (status) WHERE status = 'claimed';`,
  `CREATE TABLE arxiv_papers (
     id TEXT PRIMARY KEY,
     version INTEGER NOT NULL,
     entry TEXT NOT NULL,
     origin TEXT NOT NULL,
     added_by TEXT,
     added_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE follows (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     platform TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     filters TEXT NOT NULL,
     source TEXT NOT NULL,
     created_by TEXT,
     created_at INTEGER NOT NULL,
     next_check_at INTEGER NOT NULL,
     last_checked_at INTEGER,
     last_success_at INTEGER,
     last_error TEXT,
     failures INTEGER NOT NULL DEFAULT 0,
     UNIQUE (platform, channel_id, filters)
   );
   CREATE TABLE follow_given (
     platform TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     paper_id TEXT NOT NULL,
     delivery_key TEXT NOT NULL,
     PRIMARY KEY (platform, channel_id, paper_id)
   );
   CREATE TABLE follow_deliveries (
     delivery_key TEXT PRIMARY KEY,
     platform TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('paper', 'digest')),
     paper_ids TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
     attempts INTEGER NOT NULL,
     next_attempt_at INTEGER NOT NULL,
     claimed_at INTEGER NOT NULL,
     sent_at INTEGER,
     message_id TEXT,
     last_error TEXT
   );
   CREATE INDEX follow_deliveries_pending ON follow_deliveries (status) WHERE status = 'claimed';
   CREATE INDEX follow_deliveries_channel ON follow_deliveries (platform, channel_id, claimed_at);`,
  `CREATE TABLE shared_keys (
     namespace TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     PRIMARY KEY (namespace, key)
   );
   CREATE INDEX shared_keys_expiry ON shared_keys (expires_at);`,
  // A counter, not the latest update time: two updates in one millisecond (or a clock behind) must move it too.
  `CREATE TABLE arxiv_papers_revision (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL);
   INSERT INTO arxiv_papers_revision VALUES (1, (SELECT COUNT(*) FROM arxiv_papers));`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Throws StoreError unless `path` is a SQLite file, an empty file, or absent in an existing folder. */
function checkDatabaseFile(path: string): void {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    const folder = dirname(resolve(path));
    let folderOk = false;
    try {
      folderOk = statSync(folder).isDirectory();
    } catch {
      folderOk = false;
    }
    if (!folderOk) {
      throw new StoreError(
        `DATABASE_PATH "${path}": the folder ${folder} does not exist. Create it or point DATABASE_PATH elsewhere.`,
      );
    }
    return; // a fresh database will be created
  }
  if (!stats.isFile()) throw new StoreError(`DATABASE_PATH "${path}" is not a file (is it a folder?).`);
  if (stats.size === 0) return; // SQLite treats an empty file as an empty database
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, "r");
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString("latin1") !== SQLITE_HEADER) {
    throw new StoreError(
      `DATABASE_PATH "${path}" is not a SQLite database. paperbot will not overwrite it: ` +
        "point DATABASE_PATH at a new file, or move that file away.",
    );
  }
}

function migrate(db: Database.Database, path: string): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new StoreError(
      `DATABASE_PATH "${path}" has schema version ${version}, newer than this paperbot knows (${MIGRATIONS.length}). ` +
        "Run a newer paperbot, or point DATABASE_PATH at another file.",
    );
  }
  for (let next = version + 1; next <= MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next - 1] as string);
      db.pragma(`user_version = ${next}`);
    }).immediate();
  }
}

/** Opens (or creates) the state database at `path`, migrated; ":memory:" for a throwaway one. */
export function openSqliteDatabase(path: string, logger?: Logger): Database.Database {
  const inMemory = path === ":memory:";
  if (!inMemory) checkDatabaseFile(path);
  let db: Database.Database;
  try {
    db = new Database(path);
    db.pragma("busy_timeout = 5000");
    // Read before any write: a damaged file must be refused before WAL or a migration touches it.
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new StoreError(`quick_check says: ${String(check)}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      `DATABASE_PATH "${path}" could not be opened as a SQLite database (${reason}). paperbot will not overwrite it: ` +
        "restore a backup, or point DATABASE_PATH at a new file.",
    );
  }
  if (!inMemory) db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  try {
    migrate(db, path);
  } catch (error) {
    db.close();
    throw error;
  }
  logger?.debug("state database open", { path, schema: MIGRATIONS.length });
  return db;
}
