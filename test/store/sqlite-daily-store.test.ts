import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteDailyStore } from "../../src/store/sqlite/sqlite-daily-store.ts";
import { SCHEMA_VERSION } from "../../src/store/sqlite/sqlite-database.ts";
import { StoreError } from "../../src/store/store-error.ts";
import { fixturePost } from "./daily-store-contract.ts";

function folder(): string {
  return mkdtempSync(join(tmpdir(), "paperbot-store-"));
}

describe("openSqliteDailyStore", () => {
  it("creates a fresh database in WAL mode with the current schema version", async () => {
    const path = join(folder(), "state.db");
    const store = openSqliteDailyStore(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("refuses a file that is not a SQLite database and leaves it untouched", () => {
    const path = join(folder(), "notes.db");
    writeFileSync(path, "my precious notes\n".repeat(100));
    expect(() => openSqliteDailyStore(path)).toThrow(StoreError);
    expect(() => openSqliteDailyStore(path)).toThrow(/is not a SQLite database.*will not overwrite/);
    expect(readFileSync(path, "utf8")).toBe("my precious notes\n".repeat(100));
  });

  it("refuses a damaged SQLite file without writing to it", () => {
    const path = join(folder(), "broken.db");
    const db = new Database(path);
    db.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES (randomblob(5000)), (randomblob(5000));");
    db.close();
    const bytes = readFileSync(path);
    // Keep the header, scribble over the rest of the first page and beyond.
    bytes.fill(0x5a, 100, Math.min(bytes.length, 9000));
    writeFileSync(path, bytes);
    expect(() => openSqliteDailyStore(path)).toThrow(StoreError);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it("says which folder is missing instead of creating it", () => {
    const path = join(folder(), "no", "such", "state.db");
    expect(() => openSqliteDailyStore(path)).toThrow(/folder .* does not exist/);
  });

  it("refuses a folder given as the database path", () => {
    const path = join(folder(), "a-folder");
    mkdirSync(path);
    expect(() => openSqliteDailyStore(path)).toThrow(/not a file/);
  });

  it("refuses a database from a newer schema instead of downgrading it", () => {
    const path = join(folder(), "future.db");
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteDailyStore(path)).toThrow(/newer than this paperbot knows/);
  });
});

describe("migrations", () => {
  it("keeps schema-1 posts, giving each its channel's zone", async () => {
    const path = join(folder(), "state.db");
    const db = new Database(path);
    db.exec(`CREATE TABLE daily_subscriptions (platform TEXT NOT NULL, channel_id TEXT NOT NULL,
        enabled INTEGER NOT NULL, time TEXT NOT NULL, time_zone TEXT NOT NULL, filters TEXT NOT NULL,
        active_from INTEGER NOT NULL, seed TEXT NOT NULL, rotation INTEGER NOT NULL,
        rotation_started_at INTEGER NOT NULL, source TEXT NOT NULL, updated_by TEXT, created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL, PRIMARY KEY (platform, channel_id));
      CREATE TABLE daily_posts (platform TEXT NOT NULL, channel_id TEXT NOT NULL, day TEXT NOT NULL,
        paper_id TEXT NOT NULL, rotation INTEGER NOT NULL, idempotency_key TEXT NOT NULL, status TEXT NOT NULL,
        attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, claimed_at INTEGER NOT NULL, sent_at INTEGER,
        message_id TEXT, last_error TEXT, trigger TEXT NOT NULL, PRIMARY KEY (platform, channel_id, day));
      CREATE TABLE daily_papers_seen (paper_id TEXT PRIMARY KEY, first_seen_at INTEGER NOT NULL);
      INSERT INTO daily_subscriptions VALUES ('discord', '1', 1, '09:00', 'Asia/Tokyo', '', 0, 's', 0, 0, 'chat',
        NULL, 0, 0);
      INSERT INTO daily_posts VALUES ('discord', '1', '2024-03-15', '2305.09088', 0, 'pb-x', 'sent', 1, 0, 5, 6,
        'm1', NULL, 'schedule');
      INSERT INTO daily_posts VALUES ('slack', 'C1', '2024-03-15', '2305.09088', 0, 'pb-y', 'claimed', 0, 0, 5,
        NULL, NULL, NULL, 'schedule');
      PRAGMA user_version = 1;`);
    db.close();
    const store = openSqliteDailyStore(path);
    expect(await store.getPost({ ...fixturePost("2024-03-15"), timeZone: "Asia/Tokyo" })).toMatchObject({
      status: "sent",
      messageId: "m1",
      sentAt: 6,
    });
    expect((await store.listPendingPosts()).map((record) => [record.channelId, record.timeZone])).toEqual([
      ["C1", "UTC"],
    ]);
    await store.close();
  });
});
