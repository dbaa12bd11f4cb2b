/**
 * Three replicas on one SQLite file and one data folder, checking the same follows at the same
 * moment: each channel gets each new paper once, and each follow's check goes to arXiv once.
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteState } from "../../src/store/state.ts";
import { type RecordingPlatform, startRecordingPlatform } from "../daily/recording-platform.ts";
import { runTogether } from "../daily/replicas-together.ts";
import { FakeArxiv } from "../fakes/arxiv/fake-arxiv.ts";
import { DATA, fakePaper } from "./arxiv-harness.ts";

const CHANNELS = 6;
const REPLICAS = 3;

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

describe("follows from several processes on one SQLite file", () => {
  it("posts each new paper once per channel and asks arXiv once per follow", async () => {
    const folder = mkdtempSync(join(tmpdir(), "paperbot-follow-replicas-"));
    const dataPath = join(folder, "data");
    cpSync(DATA, dataPath, { recursive: true });
    const dbPath = join(folder, "state.db");
    const state = openSqliteState(dbPath);
    const createdAt = Date.now() - 60 * 60_000;
    for (let i = 1; i <= CHANNELS; i++) {
      for (const filters of ["category:cs.LG", 'author:"Thomas Hofmann"'])
        await state.follows.addFollow({
          platform: "slack",
          channelId: `C${i}`,
          filters,
          source: "chat",
          createdAt,
          nextCheckAt: createdAt,
        });
    }
    await state.close();
    const submitted = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const fake = await new FakeArxiv([
      fakePaper("2403.11111", submitted(30)),
      fakePaper("2403.22222", submitted(20)),
      fakePaper("2403.00003", submitted(24 * 60)), // before the follows began
    ]).start();
    open.push(fake);
    // Slow enough sends that one replica cannot make every post before the others join in.
    const platform: RecordingPlatform = await startRecordingPlatform({ sendMs: 300 });
    open.push(platform);
    const child = join(import.meta.dirname, "multi-process-child.ts");
    await runTogether(child, () => [dbPath, dataPath, fake.apiUrl, platform.url], REPLICAS);
    expect(platform.received).toHaveLength(2 * CHANNELS);
    expect(new Set(platform.received.map((post) => `${post.channelId}:${post.key}`)).size).toBe(2 * CHANNELS);
    expect(fake.requests).toHaveLength(2 * CHANNELS); // one check per follow, whichever replica took it
    expect(new Set(platform.received.map((post) => post.pid)).size).toBeGreaterThan(1);
  }, 40_000);
});
