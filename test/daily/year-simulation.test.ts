/**
 * A year of daily posts in six channels across time zones, with the process crashing at random
 * points (mid-claim, mid-send, before or after the store write) and restarting after random
 * downtime. Ticks come when the minute job would find work: at each scheduled time, each retry
 * time, and at random moments in between.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ChannelPoster } from "../../src/core/daily-control.ts";
import { SILENT_LOGGER } from "../../src/core/logger.ts";
import type { Paper } from "../../src/core/paper.ts";
import { PaperIndex } from "../../src/core/paper-index.ts";
import type { PaperReply } from "../../src/core/reply.ts";
import { createDailyService, type DailyService } from "../../src/daily/daily-service.ts";
import {
  addDays,
  type LocalDay,
  localDay,
  minutesOfDay,
  scheduledInstant,
} from "../../src/daily/local-time.ts";
import { paperPool } from "../../src/daily/paper-pool.ts";
import type { DailyStore } from "../../src/store/daily-store.ts";
import { openSqliteDailyStore } from "../../src/store/sqlite/sqlite-daily-store.ts";
import { fixturePaper, flush, RecordingPoster, TimeLine } from "./helpers.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.parse("2024-01-01T00:00:00Z");
const END = Date.parse("2025-01-01T12:00:00Z");
/** Chance that any one store write or platform call is where the process dies. */
const CRASH_RATE = 0.02;

const CHANNELS = [
  { platform: "discord", channelId: "zurich", settings: "02:30 Europe/Zurich" }, // in the spring gap
  { platform: "slack", channelId: "new-york", settings: "01:30 America/New_York" }, // in the autumn overlap
  { platform: "slack", channelId: "sydney", settings: "00:00 Australia/Sydney" }, // midnight
  { platform: "discord", channelId: "utc", settings: "23:59 UTC" }, // last minute of the day
  { platform: "discord", channelId: "lord-howe", settings: "02:15 Australia/Lord_Howe" }, // 30-minute DST
  { platform: "slack", channelId: "kathmandu", settings: "09:00 Asia/Kathmandu year:2023" }, // filtered
] as const;

/** mulberry32: small, seeded, good enough to pick crash points repeatably. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Crash {
  fired = false;
  count = 0;
  constructor(private readonly random: () => number) {}

  /** Maybe die here: a promise that never settles, optionally after doing the work. */
  wrap<T>(work: () => Promise<T>): Promise<T> {
    if (this.fired || this.random() >= CRASH_RATE) return work();
    this.fired = true;
    this.count++;
    if (this.random() < 0.5) return new Promise<T>(() => {});
    return work().then(() => new Promise<T>(() => {}));
  }
}

function crashingStore(store: DailyStore, crash: Crash): DailyStore {
  return {
    ...store,
    getSubscription: (channel) => store.getSubscription(channel),
    listSubscriptions: () => store.listSubscriptions(),
    getPost: (id) => store.getPost(id),
    listPendingPosts: () => store.listPendingPosts(),
    listPosts: (channel, options) => store.listPosts(channel, options),
    recordPapersSeen: (ids, at) => store.recordPapersSeen(ids, at),
    firstSeen: () => store.firstSeen(),
    close: () => store.close(),
    saveSubscription: (subscription) => crash.wrap(() => store.saveSubscription(subscription)),
    advanceRotation: (channel, from, to, at) =>
      crash.wrap(() => store.advanceRotation(channel, from, to, at)),
    claimPost: (post) => crash.wrap(() => store.claimPost(post)),
    updatePost: (post, guard) => crash.wrap(() => store.updatePost(post, guard)),
  };
}

function crashingPoster(poster: RecordingPoster, crash: Crash): ChannelPoster {
  return {
    post: (channelId, reply, options) => crash.wrap(() => poster.post(channelId, reply, options)),
    wasPosted: (channelId, key) => crash.wrap(() => poster.wasPosted(channelId, key)),
  };
}

function corpus(count: number): Paper[] {
  return Array.from({ length: count }, (_, i) =>
    fixturePaper(`2301.${String(i + 1).padStart(5, "0")}`, {
      published: i % 3 === 0 ? "2022-05-01" : "2023-05-01",
    }),
  );
}

describe("a simulated year with crashes and restarts", () => {
  it("posts exactly once on every day it could, and never repeats a paper before the pool is covered", async () => {
    const random = seeded(20240101);
    const line = new TimeLine(START);
    const dbPath = join(mkdtempSync(join(tmpdir(), "paperbot-year-")), "state.db");
    const platform = new RecordingPoster(() => line.now);
    let papers = new PaperIndex(corpus(17));
    const additions = new Map<string, number>(); // paper id -> when it was added
    const ticks: number[] = []; // completed ticks (the process was up and finished the pass)
    const errors: unknown[] = [];
    let crashes = 0;
    let restarts = 0;

    let process: { service: DailyService; store: DailyStore; crash: Crash } | undefined;
    const boot = () => {
      const crash = new Crash(random);
      const store = openSqliteDailyStore(dbPath);
      const poster = crashingPoster(platform, crash);
      const service = createDailyService({
        store: crashingStore(store, crash),
        getPapers: () => papers,
        logger: SILENT_LOGGER,
        clock: line.clock(),
        posters: { discord: poster, slack: poster },
        limits: { maxAttempts: 8 },
      });
      process = { service, store, crash };
    };
    /** Runs one step of the live process; false when it died during the step. */
    const step = async (work: (service: DailyService) => Promise<unknown>): Promise<boolean> => {
      if (!process) return false;
      let done = false;
      work(process.service).then(
        () => {
          done = true;
        },
        (error) => {
          done = true;
          errors.push(error);
        },
      );
      await flush(5);
      if (process.crash.fired) {
        crashes += process.crash.count;
        await process.store.close();
        process = undefined;
        return false;
      }
      expect(done).toBe(true);
      return true;
    };

    boot();
    await step((service) => service.start());
    for (const channel of CHANNELS) {
      const ok = await step((service) =>
        service.handle(
          { platform: channel.platform, channelId: channel.channelId },
          `on ${channel.settings}`,
          {
            id: "admin",
            canManageChannel: true,
          },
        ),
      );
      if (!ok) {
        boot(); // a crash while subscribing: subscribe again after restart
        await step((service) => service.start());
      }
    }

    while (line.now < END) {
      if (!process) {
        line.now += Math.floor(random() * 3 * HOUR);
        boot();
        restarts++;
        if (await step((service) => service.start())) ticks.push(line.now);
        continue;
      }
      // When the minute job would next find work: a scheduled time, a retry, or a random moment.
      const candidates = [line.now + 1 + Math.floor(random() * 4 * HOUR)];
      for (const channel of CHANNELS) {
        const [time, zone] = channel.settings.split(" ") as [string, string];
        const today = localDay(line.now, zone);
        for (const day of [today, addDays(today, 1)]) {
          const at = scheduledInstant(day, minutesOfDay(time), zone);
          if (at > line.now) candidates.push(at);
        }
      }
      for (const post of await process.store.listPendingPosts()) {
        if (post.nextAttemptAt > line.now) candidates.push(Math.ceil(post.nextAttemptAt / MINUTE) * MINUTE);
      }
      line.now = Math.min(...candidates);
      if (random() < 0.02) {
        // A new paper arrives (a corpus reload).
        const id = `2402.${String(additions.size + 1).padStart(5, "0")}`;
        papers = new PaperIndex([...papers.all(), fixturePaper(id, { published: "2023-07-01" })]);
        additions.set(id, line.now);
      }
      if (random() < 0.01) {
        await process.service.stop(); // a graceful restart
        await process.store.close();
        process = undefined;
        continue;
      }
      if (await step((service) => service.tick())) ticks.push(line.now);
    }

    expect(errors).toEqual([]);
    expect(crashes).toBeGreaterThan(50);
    expect(restarts).toBeGreaterThan(100);

    if (process) await process.store.close();
    const records = openSqliteDailyStore(dbPath);
    for (const channel of CHANNELS) {
      const [time, zone] = channel.settings.split(" ") as [string, string];
      const posts = platform.postsIn(channel.channelId);
      // Zero duplicates: one message per idempotency key (= per channel and day).
      const keys = posts.map((post) => post.key);
      expect(new Set(keys).size, `${channel.channelId} duplicates`).toBe(keys.length);

      // Every post lands within its own local day: a day's retries end with that day.
      for (const post of posts) {
        const day = `${post.key.slice(3, 7)}-${post.key.slice(7, 9)}-${post.key.slice(9, 11)}`;
        expect(localDay(post.at, zone), `${channel.channelId} posted ${day} late`).toBe(day);
      }

      // Zero missed days: every day with a completed tick between its time and local midnight has its
      // post, unless a crash left its retry no time before midnight; that day is recorded as failed.
      const postedDays = new Set(keys.map((key) => key.slice(3, 11)));
      const missed: LocalDay[] = [];
      let owed = 0;
      let ended = 0;
      for (let day = localDay(START, zone); ; day = addDays(day, 1)) {
        const at = scheduledInstant(day, minutesOfDay(time), zone);
        const endOfDay = scheduledInstant(addDays(day, 1), 0, zone);
        if (endOfDay > END - 7 * HOUR) break;
        if (at < START + 2 * HOUR) continue; // before the channel subscribed
        if (!ticks.some((tick) => tick >= at && tick < endOfDay)) continue;
        owed++;
        if (postedDays.has(day.replaceAll("-", ""))) continue;
        const record = await records.getPost({ ...channel, day, timeZone: zone });
        if (record?.status === "failed" && record.lastError?.startsWith("The day ended")) ended++;
        else missed.push(day);
      }
      expect(missed, `${channel.channelId} missed days`).toEqual([]);
      expect(owed).toBeGreaterThan(300);
      expect(ended, `${channel.channelId} days that ended before a retry`).toBeLessThan(owed / 20);

      // Rotation: a paper repeats only after every paper the filters admitted had its turn.
      const filters = channel.settings.split(" ").slice(2).join(" ");
      let inRotation = new Set<string>();
      for (const post of posts) {
        const id = (post.reply as PaperReply).paper.id;
        if (inRotation.has(id)) {
          const pool = paperPool(
            new PaperIndex(
              [...papers.all()].filter(
                (paper) => (additions.get(paper.id) ?? Number.NEGATIVE_INFINITY) < post.at,
              ),
            ),
            filters,
          ).map((paper) => paper.id);
          expect(
            pool.filter((paperId) => !inRotation.has(paperId)),
            `${channel.channelId} repeated ${id}`,
          ).toEqual([]);
          inRotation = new Set();
        }
        inRotation.add(id);
      }
    }
    await records.close();
  }, 120_000);
});
