/**
 * Three replicas on one SQLite file, as a department runs them: real processes ticking at the same
 * moment over the same due channels. Each channel must get its day's post exactly once.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDailyStore } from "../../src/store/sqlite/sqlite-daily-store.ts";
import { fixtureSubscription } from "./helpers.ts";
import { type RecordingPlatform, startRecordingPlatform } from "./recording-platform.ts";

const CHANNELS = 24;
const REPLICAS = 3;

let platform: RecordingPlatform | undefined;
afterEach(() => {
  platform?.close();
  platform = undefined;
});

describe("daily posts from several processes on one SQLite file", () => {
  it("posts each channel's day exactly once when three replicas tick together", async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), "paperbot-replicas-")), "state.db");
    const store = openSqliteDailyStore(dbPath);
    for (let i = 1; i <= CHANNELS; i++) {
      await store.saveSubscription(
        fixtureSubscription({ platform: "slack", channelId: `C${i}`, seed: `seed-${i}` }),
      );
    }
    await store.close();
    platform = await startRecordingPlatform();
    const goAt = Date.now() + 4000; // after every replica has loaded
    const child = join(import.meta.dirname, "multi-process-child.ts");
    const runs = Array.from({ length: REPLICAS }, () =>
      promisify(execFile)(
        process.execPath,
        ["--import", "tsx", child, dbPath, platform?.url ?? "", "2024-03-15T09:00:30Z", String(goAt)],
        { timeout: 30_000 },
      ),
    );
    await Promise.all(runs);
    expect(platform.repeated()).toEqual([]);
    expect(new Set(platform.received.map((post) => post.channelId)).size).toBe(CHANNELS);
    // The work really was shared: more than one replica posted.
    expect(new Set(platform.received.map((post) => post.pid)).size).toBeGreaterThan(1);
  }, 40_000);
});
