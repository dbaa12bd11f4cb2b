import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { PostRecord } from "../../src/store/daily-store.ts";
import { openSqliteDailyStore } from "../../src/store/sqlite/sqlite-daily-store.ts";
import { SCHEMA_VERSION, StoreError } from "../../src/store/sqlite/sqlite-database.ts";
import { fixtureSubscription } from "../daily/helpers.ts";

function folder(): string {
  return mkdtempSync(join(tmpdir(), "paperbot-store-"));
}

function post(day: string, overrides: Partial<PostRecord> = {}): PostRecord {
  return {
    platform: "discord",
    channelId: "1",
    day,
    timeZone: "UTC",
    paperId: "2305.09088",
    rotation: 0,
    idempotencyKey: `pb-${day}`,
    status: "claimed",
    attempts: 0,
    nextAttemptAt: 0,
    claimedAt: 0,
    trigger: "schedule",
    ...overrides,
  };
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

  it("keeps subscriptions, posts and first-seen times across reopening", async () => {
    const path = join(folder(), "state.db");
    const first = openSqliteDailyStore(path);
    await first.saveSubscription(
      fixtureSubscription({
        platform: "slack",
        channelId: "C1",
        timeZone: "Europe/Zurich",
        filters: "year:2023",
        activeFrom: 5,
        rotation: 2,
        rotationStartedAt: 7,
        createdAt: 1,
        updatedAt: 2,
      }),
    );
    await first.claimPost(post("2024-03-15"));
    await first.recordPapersSeen(["a", "b"], 10);
    await first.close();
    const second = openSqliteDailyStore(path);
    expect(await second.getSubscription({ platform: "slack", channelId: "C1" })).toMatchObject({
      timeZone: "Europe/Zurich",
      rotation: 2,
      filters: "year:2023",
    });
    expect(await second.getPost(post("2024-03-15"))).toMatchObject({
      status: "claimed",
    });
    await second.recordPapersSeen(["b", "c"], 20);
    expect([...(await second.firstSeen())].sort()).toEqual([
      ["a", 10],
      ["b", 10],
      ["c", 20],
    ]);
    await second.close();
  });
});

describe("claimPost", () => {
  it("lets exactly one claim per channel and day win, across two connections", async () => {
    const path = join(folder(), "state.db");
    const one = openSqliteDailyStore(path);
    const two = openSqliteDailyStore(path);
    expect(await one.claimPost(post("2024-03-15", { paperId: "x" }))).toBe(true);
    expect(await two.claimPost(post("2024-03-15", { paperId: "y" }))).toBe(false);
    expect(await two.claimPost(post("2024-03-16"))).toBe(true);
    expect(await two.claimPost(post("2024-03-15", { channelId: "2" }))).toBe(true);
    expect((await one.getPost(post("2024-03-15")))?.paperId).toBe("x");
    expect(await two.claimPost(post("2024-03-15", { timeZone: "Asia/Tokyo" }))).toBe(true);
    await one.close();
    await two.close();
  });

  it("lists pending posts and a channel's history newest first", async () => {
    const store = openSqliteDailyStore(":memory:");
    await store.claimPost(post("2024-03-14", { status: "sent" }));
    await store.claimPost(post("2024-03-15", { rotation: 1 }));
    await store.claimPost(post("2024-03-16", { status: "failed", rotation: 1 }));
    expect((await store.listPendingPosts()).map((record) => record.day)).toEqual(["2024-03-15"]);
    const channel = { platform: "discord" as const, channelId: "1" };
    expect((await store.listPosts(channel)).map((record) => record.day)).toEqual([
      "2024-03-16",
      "2024-03-15",
      "2024-03-14",
    ]);
    expect((await store.listPosts(channel, { rotation: 1, limit: 1 })).map((record) => record.day)).toEqual([
      "2024-03-16",
    ]);
    await store.updatePost({ ...post("2024-03-15", { rotation: 1 }), status: "sent", messageId: "m1" });
    expect(await store.listPendingPosts()).toEqual([]);
    await store.close();
  });
});

describe("updatePost with a guard", () => {
  it("writes only over the state the change was decided on, across two connections", async () => {
    const path = join(folder(), "state.db");
    const one = openSqliteDailyStore(path);
    const two = openSqliteDailyStore(path);
    await one.claimPost(post("2024-03-15"));
    const started = { ...post("2024-03-15"), attempts: 1 };
    const from = { status: "claimed" as const, attempts: 0 };
    expect(await one.updatePost(started, from)).toBe(true);
    expect(await two.updatePost(started, from)).toBe(false);
    expect(await two.updatePost({ ...started, status: "sent" }, { status: "claimed", attempts: 1 })).toBe(
      true,
    );
    expect((await one.getPost(started))?.status).toBe("sent");
    await one.close();
    await two.close();
  });

  it("with channelEnabled, refuses once the channel's daily posts are off", async () => {
    const store = openSqliteDailyStore(":memory:");
    const subscription = fixtureSubscription();
    await store.saveSubscription(subscription);
    await store.claimPost(post("2024-03-15"));
    const guard = { status: "claimed" as const, attempts: 0, channelEnabled: true };
    await store.saveSubscription({ ...subscription, enabled: false });
    expect(await store.updatePost({ ...post("2024-03-15"), attempts: 1 }, guard)).toBe(false);
    await store.saveSubscription(subscription);
    expect(await store.updatePost({ ...post("2024-03-15"), attempts: 1 }, guard)).toBe(true);
    await store.close();
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
    expect(await store.getPost({ ...post("2024-03-15"), timeZone: "Asia/Tokyo" })).toMatchObject({
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
