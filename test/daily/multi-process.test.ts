/**
 * Three replicas on one SQLite file, as a department runs them: real processes ticking at the same
 * moment over the same due channels. Each channel must get its day's post exactly once.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDailyStore } from "../../src/store/sqlite/sqlite-daily-store.ts";
import { fixtureSubscription } from "./helpers.ts";
import { type RecordingPlatform, startRecordingPlatform } from "./recording-platform.ts";
import { runTogether } from "./replicas-together.ts";

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
    // Slow enough sends (24 channels, 8 at a time: 4.5 s) that one replica cannot finish every channel
    // before the others join in, even on a loaded machine where a replica starts its tick seconds late.
    platform = await startRecordingPlatform({ sendMs: 1500 });
    const child = join(import.meta.dirname, "multi-process-child.ts");
    await runTogether(child, () => [dbPath, platform?.url ?? "", "2024-03-15T09:00:30Z"], REPLICAS);
    expect(platform.repeated()).toEqual([]);
    expect(new Set(platform.received.map((post) => post.channelId)).size).toBe(CHANNELS);
    // The work really was shared: more than one replica posted.
    expect(new Set(platform.received.map((post) => post.pid)).size).toBeGreaterThan(1);
  }, 40_000);

  it("keeps a slow send by a live replica from looking like a crashed one to the others", async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), "paperbot-lease-")), "state.db");
    const store = openSqliteDailyStore(dbPath);
    await store.saveSubscription(fixtureSubscription({ platform: "slack", channelId: "C1" }));
    await store.close();
    // Each send takes 5 s; an attempt holds its post for 1.5 s at a time, renewed while it runs (the
    // old code held it for one retry delay, 1.5 s, and the others then sent it again).
    platform = await startRecordingPlatform({ sendMs: 5000, landsAtEnd: true });
    const limits = JSON.stringify({ leaseMs: 1500, retryDelaysMs: [1500] });
    const child = join(import.meta.dirname, "multi-process-child.ts");
    await runTogether(
      child,
      () => [dbPath, platform?.url ?? "", "2024-03-15T09:00:30Z", limits, "45", "150"],
      REPLICAS,
    );
    expect(platform.received.map((post) => post.channelId)).toEqual(["C1"]);
  }, 40_000);
});
