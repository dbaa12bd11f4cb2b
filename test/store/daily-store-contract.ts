/**
 * The behaviour every DailyStore must show, run by the state contract against each database: the
 * claims and guarded updates that keep a day from being posted twice, across processes.
 */
import { describe, expect, it } from "vitest";
import type { PostRecord } from "../../src/store/daily-store.ts";
import type { State } from "../../src/store/state.ts";
import { fixtureSubscription } from "../daily/helpers.ts";

const CHANNEL = { platform: "discord" as const, channelId: "1" };

/** A claimed post on CHANNEL for `day` in UTC, as a test wants it. */
export function fixturePost(day: string, overrides: Partial<PostRecord> = {}): PostRecord {
  return {
    ...CHANNEL,
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

/** `open` gives two handles on one fresh database, as two processes would have. */
export function dailyStoreContract(name: string, open: () => Promise<[State, State]>): void {
  describe(`${name}: daily store`, () => {
    it("keeps subscriptions as saved, seen from another process, and their first creation time", async () => {
      const [one, two] = await open();
      const slack = fixtureSubscription({
        platform: "slack",
        channelId: "C1",
        enabled: false,
        time: "17:30",
        timeZone: "Europe/Zurich",
        filters: "year:2023",
        activeFrom: 1_700_000_000_123,
        seed: "seed",
        rotation: 2,
        rotationStartedAt: 7,
        source: "env:slack:C1@17:30",
        updatedBy: "U1",
        createdAt: 1,
        updatedAt: 2,
      });
      await one.daily.saveSubscription(slack);
      await one.daily.saveSubscription(fixtureSubscription());
      expect(await two.daily.getSubscription(slack)).toEqual(slack);
      expect((await two.daily.listSubscriptions()).map((s) => s.platform)).toEqual(["discord", "slack"]);
      const changed = { ...slack, enabled: true, filters: "", createdAt: 99, updatedAt: 3 };
      const { updatedBy: _, ...withoutUpdater } = changed;
      await two.daily.saveSubscription(withoutUpdater);
      expect(await one.daily.getSubscription(slack)).toEqual({ ...withoutUpdater, createdAt: 1 });
      expect(await one.daily.getSubscription({ platform: "slack", channelId: "C2" })).toBeUndefined();
      await one.close();
      await two.close();
    });

    it("moves a rotation only from the one expected, and keeps it when settings are saved again", async () => {
      const [one, two] = await open();
      const channel = fixtureSubscription({ rotation: 0, rotationStartedAt: 5 });
      await one.daily.saveSubscription(channel);
      const next = { rotation: 1, startedAt: 50 };
      expect(await one.daily.advanceRotation(channel, 0, next, 60)).toBe(true);
      expect(await two.daily.advanceRotation(channel, 0, { rotation: 1, startedAt: 70 }, 80)).toBe(false);
      // A save from a copy read before the move (still rotation 0) changes settings, not the rotation.
      await two.daily.saveSubscription({ ...channel, enabled: false, updatedAt: 90 });
      expect(await one.daily.getSubscription(channel)).toMatchObject({
        enabled: false,
        rotation: 1,
        rotationStartedAt: 50,
        updatedAt: 90,
      });
      await one.close();
      await two.close();
    });

    it("lets exactly one claim per channel, day and zone win, across two processes", async () => {
      const [one, two] = await open();
      expect(await one.daily.claimPost(fixturePost("2024-03-15", { paperId: "x" }))).toBe(true);
      expect(await two.daily.claimPost(fixturePost("2024-03-15", { paperId: "y" }))).toBe(false);
      expect(await two.daily.claimPost(fixturePost("2024-03-16"))).toBe(true);
      expect(await two.daily.claimPost(fixturePost("2024-03-15", { channelId: "2" }))).toBe(true);
      expect((await one.daily.getPost(fixturePost("2024-03-15")))?.paperId).toBe("x");
      expect(await two.daily.claimPost(fixturePost("2024-03-15", { timeZone: "Asia/Tokyo" }))).toBe(true);
      const racing = await Promise.all(
        [one, two, one, two].map((state) => state.daily.claimPost(fixturePost("2024-03-20"))),
      );
      expect(racing.filter(Boolean)).toHaveLength(1);
      await one.close();
      await two.close();
    });

    it("keeps every field of a post, and clears the optional ones when an update leaves them out", async () => {
      const [one, two] = await open();
      const sent = fixturePost("2024-03-15", {
        status: "sent",
        attempts: 2,
        nextAttemptAt: 1_700_000_000_001,
        claimedAt: 1_700_000_000_000,
        sentAt: 1_700_000_000_002,
        messageId: "m1",
        lastError: "timeout, then fine",
        trigger: "now",
      });
      await one.daily.claimPost(sent);
      expect(await two.daily.getPost(sent)).toEqual(sent);
      const retried = fixturePost("2024-03-15", { attempts: 3 });
      expect(await two.daily.updatePost(retried)).toBe(true);
      expect(await one.daily.getPost(sent)).toEqual(retried);
      expect(await one.daily.getPost(fixturePost("2024-03-16"))).toBeUndefined();
      expect(await one.daily.updatePost(fixturePost("2024-03-16"))).toBe(false);
      await one.close();
      await two.close();
    });

    it("lists pending posts and a channel's history newest first", async () => {
      const [store] = await open();
      await store.daily.claimPost(fixturePost("2024-03-14", { status: "sent" }));
      await store.daily.claimPost(fixturePost("2024-03-15", { rotation: 1 }));
      await store.daily.claimPost(fixturePost("2024-03-16", { status: "failed", rotation: 1 }));
      await store.daily.claimPost(fixturePost("2024-03-13", { channelId: "2" }));
      expect((await store.daily.listPendingPosts()).map((record) => record.day)).toEqual([
        "2024-03-13",
        "2024-03-15",
      ]);
      expect((await store.daily.listPosts(CHANNEL)).map((record) => record.day)).toEqual([
        "2024-03-16",
        "2024-03-15",
        "2024-03-14",
      ]);
      expect(
        (await store.daily.listPosts(CHANNEL, { rotation: 1, limit: 1 })).map((record) => record.day),
      ).toEqual(["2024-03-16"]);
      expect((await store.daily.listPosts(CHANNEL, { limit: 2 })).map((record) => record.day)).toEqual([
        "2024-03-16",
        "2024-03-15",
      ]);
      expect((await store.daily.listPosts(CHANNEL, { rotation: 0 })).map((record) => record.day)).toEqual([
        "2024-03-14",
      ]);
      await store.daily.updatePost({
        ...fixturePost("2024-03-15", { rotation: 1 }),
        status: "sent",
        messageId: "m1",
      });
      expect((await store.daily.listPendingPosts()).map((record) => record.channelId)).toEqual(["2"]);
      await store.close();
    });

    it("updates a post with a guard only from the state the change was decided on, across two processes", async () => {
      const [one, two] = await open();
      await one.daily.claimPost(fixturePost("2024-03-15"));
      const started = { ...fixturePost("2024-03-15"), attempts: 1 };
      const from = { status: "claimed" as const, attempts: 0 };
      expect(await one.daily.updatePost(started, from)).toBe(true);
      expect(await two.daily.updatePost(started, from)).toBe(false);
      expect(
        await two.daily.updatePost({ ...started, status: "sent" }, { status: "claimed", attempts: 1 }),
      ).toBe(true);
      expect((await one.daily.getPost(started))?.status).toBe("sent");
      await one.daily.claimPost(fixturePost("2024-03-16"));
      const racing = await Promise.all(
        [one, two, one, two].map((state) =>
          state.daily.updatePost(
            { ...fixturePost("2024-03-16"), attempts: 1 },
            { status: "claimed", attempts: 0 },
          ),
        ),
      );
      expect(racing.filter(Boolean)).toHaveLength(1);
      await one.close();
      await two.close();
    });

    it("with channelEnabled, refuses once the channel's daily posts are off, or were never on", async () => {
      const [one, two] = await open();
      const subscription = fixtureSubscription();
      await one.daily.claimPost(fixturePost("2024-03-15"));
      const guard = { status: "claimed" as const, attempts: 0, channelEnabled: true };
      expect(await two.daily.updatePost({ ...fixturePost("2024-03-15"), attempts: 1 }, guard)).toBe(false);
      await one.daily.saveSubscription({ ...subscription, enabled: false });
      expect(await two.daily.updatePost({ ...fixturePost("2024-03-15"), attempts: 1 }, guard)).toBe(false);
      await one.daily.saveSubscription(subscription);
      expect(await two.daily.updatePost({ ...fixturePost("2024-03-15"), attempts: 1 }, guard)).toBe(true);
      await one.close();
      await two.close();
    });

    it("records when each paper was first seen, keeping the first time", async () => {
      const [one, two] = await open();
      expect(await one.daily.firstSeen()).toEqual(new Map());
      await one.daily.recordPapersSeen(["a", "b"], 10);
      await two.daily.recordPapersSeen(["b", "c", "c"], 20);
      await two.daily.recordPapersSeen([], 30);
      expect([...(await one.daily.firstSeen())].sort()).toEqual([
        ["a", 10],
        ["b", 10],
        ["c", 20],
      ]);
      await one.close();
      await two.close();
    });
  });
}
