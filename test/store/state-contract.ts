/**
 * The behaviour every implementation of the stores must show, written once and run against each
 * database: SQLite (sqlite-state.test.ts) and PostgreSQL (pg-state.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { ArxivEntry } from "../../src/arxiv/arxiv-entry.ts";
import type { FollowDelivery } from "../../src/store/follow-store.ts";
import type { State } from "../../src/store/state.ts";
import { dailyStoreContract } from "./daily-store-contract.ts";

export function sampleEntry(id: string, overrides: Partial<ArxivEntry> = {}): ArxivEntry {
  return {
    id,
    version: 1,
    title: `Paper ${id}`,
    abstract: `About ${id}.`,
    authors: ["Ada Lovelace"],
    categories: ["cs.LG"],
    published: "2024-03-01",
    updated: "2024-03-01T10:00:00Z",
    absUrl: `https://arxiv.org/abs/${id}`,
    ...overrides,
  };
}

const CHANNEL = { platform: "slack" as const, channelId: "C1" };

function delivery(key: string, paperIds: string[]): FollowDelivery {
  return {
    ...CHANNEL,
    key,
    kind: paperIds.length > 1 ? "digest" : "paper",
    paperIds,
    status: "claimed",
    attempts: 0,
    nextAttemptAt: 0,
    claimedAt: 0,
  };
}

/** A plan for claimDeliveries: one post per fresh paper, keyed `<prefix>-<paper id>`. */
function onePostPerPaper(prefix: string): (fresh: string[]) => FollowDelivery[] {
  return (fresh) => fresh.map((id) => delivery(`${prefix}-${id}`, [id]));
}

/** `open` gives two handles on one fresh database, as two processes would have. */
export function stateContract(name: string, open: () => Promise<[State, State]>): void {
  dailyStoreContract(name, open);

  describe(`${name}: paper store`, () => {
    it("adds, refreshes and keeps the newest version, all-or-nothing per call", async () => {
      const [one, two] = await open();
      expect(
        await one.papers.upsert([sampleEntry("2401.00001"), sampleEntry("2401.00002")], {
          origin: "add",
          at: 1,
        }),
      ).toEqual(["added", "added"]);
      const mark = await two.papers.changeMark();
      expect(
        await two.papers.upsert([sampleEntry("2401.00001", { version: 2, title: "Renamed" })], {
          origin: "add",
          at: 2,
        }),
      ).toEqual(["updated"]);
      expect(await one.papers.changeMark()).not.toBe(mark);
      expect(await one.papers.upsert([sampleEntry("2401.00001")], { origin: "follow", at: 3 })).toEqual([
        "unchanged",
      ]);
      expect((await one.papers.get("2401.00001"))?.entry).toMatchObject({ version: 2, title: "Renamed" });
      expect((await two.papers.list()).map((stored) => stored.entry.id)).toEqual([
        "2401.00001",
        "2401.00002",
      ]);
      await one.close();
      await two.close();
    });

    it("changes nothing when one entry of a call cannot be stored", async () => {
      const [one] = await open();
      const broken = sampleEntry("2401.00009", { version: undefined as unknown as number });
      const mark = await one.papers.changeMark();
      await expect(
        one.papers.upsert([sampleEntry("2401.00001"), broken], { origin: "add", at: 1 }),
      ).rejects.toThrow();
      expect(await one.papers.list()).toEqual([]);
      expect(await one.papers.changeMark()).toBe(mark);
      await one.close();
    });

    it("keeps who added a paper and when, and moves the change mark only when something changed", async () => {
      const [one, two] = await open();
      const entry = sampleEntry("2401.00001", {
        doi: "10.1/x",
        comment: "ICML",
        pdfUrl: "https://arxiv.org/pdf/x",
      });
      const empty = await two.papers.changeMark();
      await one.papers.upsert([entry], { origin: "follow", by: "U1", at: 1_700_000_000_000 });
      const added = await two.papers.changeMark();
      expect(added).not.toBe(empty);
      expect(await two.papers.get("2401.00001")).toEqual({
        entry,
        origin: "follow",
        addedBy: "U1",
        addedAt: 1_700_000_000_000,
        updatedAt: 1_700_000_000_000,
      });
      expect(await two.papers.upsert([entry], { origin: "add", at: 1_700_000_000_001 })).toEqual([
        "unchanged",
      ]);
      expect(await one.papers.changeMark()).toBe(added);
      await two.papers.upsert([{ ...entry, title: "Fixed typo" }], { origin: "add", at: 1_700_000_000_002 });
      const fixed = await one.papers.changeMark();
      expect(fixed).not.toBe(added);
      // A second change in the same millisecond (or from a clock behind) moves the mark too.
      await one.papers.upsert([{ ...entry, title: "Fixed typo again" }], {
        origin: "add",
        at: 1_700_000_000_002,
      });
      expect(await two.papers.changeMark()).not.toBe(fixed);
      expect(await one.papers.get("2401.00001")).toMatchObject({
        origin: "follow",
        addedAt: 1_700_000_000_000,
        updatedAt: 1_700_000_000_002,
      });
      expect(await one.papers.get("2401.00002")).toBeUndefined();
      await one.close();
      await two.close();
    });
  });

  describe(`${name}: follow store`, () => {
    it("keeps one follow per channel and filters, lists and removes them", async () => {
      const [one, two] = await open();
      const follow = { ...CHANNEL, filters: "category:cs.LG", source: "chat", createdAt: 5, nextCheckAt: 5 };
      const added = await one.follows.addFollow(follow);
      expect(added).toMatchObject({ filters: "category:cs.LG", failures: 0 });
      expect(await two.follows.addFollow(follow)).toBeUndefined();
      await two.follows.addFollow({ ...follow, filters: "author:Hofmann" });
      expect((await one.follows.listFollows(CHANNEL)).map((f) => f.filters)).toEqual([
        "category:cs.LG",
        "author:Hofmann",
      ]);
      expect(await one.follows.listFollows({ platform: "discord", channelId: "C1" })).toEqual([]);
      expect(await two.follows.removeFollow(added?.id ?? 0)).toBe(true);
      expect(await one.follows.removeFollow(added?.id ?? 0)).toBe(false);
      await one.close();
      await two.close();
    });

    it("lets one process take a follow's check, and records how checks went", async () => {
      const [one, two] = await open();
      const follow = await one.follows.addFollow({
        ...CHANNEL,
        filters: "x",
        source: "chat",
        createdAt: 0,
        nextCheckAt: 100,
      });
      const id = follow?.id ?? 0;
      expect(await one.follows.claimCheck(id, 100, 900)).toBe(true);
      expect(await two.follows.claimCheck(id, 100, 900)).toBe(false);
      await two.follows.saveCheck(id, {
        nextCheckAt: 2000,
        lastCheckedAt: 1000,
        lastError: "arXiv down",
        failures: 2,
      });
      expect((await one.follows.listFollows())[0]).toMatchObject({
        nextCheckAt: 2000,
        lastError: "arXiv down",
        failures: 2,
      });
      await two.follows.saveCheck(id, {
        nextCheckAt: 3000,
        lastCheckedAt: 2000,
        lastSuccessAt: 2000,
        failures: 0,
      });
      const after = (await one.follows.listFollows())[0];
      expect(after).toMatchObject({ lastSuccessAt: 2000, failures: 0 });
      expect(after?.lastError).toBeUndefined();
      await one.close();
      await two.close();
    });

    it("gives a channel each paper once, across follows and processes, with its posts in the same step", async () => {
      const [one, two] = await open();
      const first = await one.follows.claimDeliveries(CHANNEL, ["a", "b"], onePostPerPaper("one"));
      expect(first.map((d) => d.key)).toEqual(["one-a", "one-b"]);
      const second = await two.follows.claimDeliveries(CHANNEL, ["b", "c"], onePostPerPaper("two"));
      expect(second.map((d) => d.key)).toEqual(["two-c"]);
      expect(await one.follows.claimDeliveries(CHANNEL, ["a", "c"], onePostPerPaper("three"))).toEqual([]);
      expect(
        await one.follows.claimDeliveries({ ...CHANNEL, channelId: "C2" }, ["a"], onePostPerPaper("other")),
      ).toHaveLength(1);
      expect((await two.follows.listPendingDeliveries()).map((d) => d.key).sort()).toEqual([
        "one-a",
        "one-b",
        "other-a",
        "two-c",
      ]);
      await one.close();
      await two.close();
    });

    it("gives each paper once when two processes claim overlapping papers at the same moment", async () => {
      const [one, two] = await open();
      for (let round = 0; round < 5; round++) {
        const channel = { ...CHANNEL, channelId: `race-${round}` };
        const claimed = await Promise.all([
          one.follows.claimDeliveries(channel, ["a", "b", "c", "d"], onePostPerPaper(`${round}-one`)),
          two.follows.claimDeliveries(channel, ["d", "c", "b", "a"], onePostPerPaper(`${round}-two`)),
          one.follows.claimDeliveries(channel, ["c", "a", "e"], onePostPerPaper(`${round}-three`)),
        ]);
        const given = claimed.flat().flatMap((d) => d.paperIds);
        expect(given.sort()).toEqual(["a", "b", "c", "d", "e"]);
      }
      await one.close();
      await two.close();
    });

    it("claims nothing when planning the posts fails", async () => {
      const [one] = await open();
      await expect(
        one.follows.claimDeliveries(CHANNEL, ["a"], () => {
          throw new Error("planning failed");
        }),
      ).rejects.toThrow("planning failed");
      expect(
        await one.follows.claimDeliveries(CHANNEL, ["a"], (fresh) => fresh.map((id) => delivery(id, [id]))),
      ).toHaveLength(1);
      await one.close();
    });

    it("updates a post only from the state the change was decided on", async () => {
      const [one, two] = await open();
      await one.follows.claimDeliveries(CHANNEL, ["a"], (fresh) => fresh.map((id) => delivery("k", [id])));
      const started = { ...delivery("k", ["a"]), attempts: 1 };
      expect(await one.follows.updateDelivery(started, { status: "claimed", attempts: 0 })).toBe(true);
      expect(await two.follows.updateDelivery(started, { status: "claimed", attempts: 0 })).toBe(false);
      await two.follows.updateDelivery({ ...started, status: "sent", sentAt: 9, messageId: "m1" });
      expect(await one.follows.getDelivery("k")).toMatchObject({
        status: "sent",
        messageId: "m1",
        paperIds: ["a"],
      });
      expect(await one.follows.listPendingDeliveries()).toEqual([]);
      expect((await one.follows.listDeliveries(CHANNEL, 5)).map((d) => d.key)).toEqual(["k"]);
      await one.close();
      await two.close();
    });

    it("lists a channel's posts newest first, in claim order when claimed at the same time", async () => {
      const [one, two] = await open();
      const at = (claimedAt: number) => (fresh: string[]) =>
        fresh.map((id) => ({ ...delivery(id, [id]), claimedAt }));
      await one.follows.claimDeliveries(CHANNEL, ["m", "a"], at(5));
      await two.follows.claimDeliveries(CHANNEL, ["z", "b"], at(5));
      await one.follows.claimDeliveries(CHANNEL, ["old"], at(1));
      expect((await two.follows.listDeliveries(CHANNEL, 10)).map((d) => d.key)).toEqual([
        "b",
        "z",
        "a",
        "m",
        "old",
      ]);
      expect((await one.follows.listDeliveries(CHANNEL, 2)).map((d) => d.key)).toEqual(["b", "z"]);
      expect((await one.follows.listPendingDeliveries()).map((d) => d.key)).toEqual([
        "old",
        "m",
        "a",
        "z",
        "b",
      ]);
      await one.close();
      await two.close();
    });

    it("keeps a digest's papers in order and every field of a post", async () => {
      const [one, two] = await open();
      const digest = { ...delivery("d1", ["c", "a", "b"]), claimedAt: 1_700_000_000_000 };
      await one.follows.claimDeliveries(CHANNEL, ["c", "a", "b"], () => [digest]);
      expect(await two.follows.getDelivery("d1")).toEqual(digest);
      const failed = {
        ...digest,
        status: "failed" as const,
        attempts: 3,
        nextAttemptAt: 9,
        lastError: "gone",
      };
      expect(await two.follows.updateDelivery(failed)).toBe(true);
      expect(await one.follows.getDelivery("d1")).toEqual(failed);
      expect(await one.follows.getDelivery("d2")).toBeUndefined();
      await one.close();
      await two.close();
    });
  });

  describe(`${name}: key store`, () => {
    it("lets one process claim a key until it expires, and keeps values", async () => {
      const [one, two] = await open();
      expect(await one.keys.claim("events", "Ev1", 60_000)).toBe(true);
      expect(await two.keys.claim("events", "Ev1", 60_000)).toBe(false);
      expect(await two.keys.claim("threads", "Ev1", 60_000)).toBe(true);
      expect(await one.keys.get("events", "Ev1")).toBe("");
      expect(await one.keys.get("events", "Ev2")).toBeUndefined();
      await one.keys.put("buttons", "b1", 60_000, "a long state");
      expect(await two.keys.get("buttons", "b1")).toBe("a long state");
      await two.keys.put("buttons", "b1", 60_000, "replaced");
      expect(await one.keys.get("buttons", "b1")).toBe("replaced");
      expect(await one.keys.claim("short", "k", 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await two.keys.get("short", "k")).toBeUndefined();
      expect(await two.keys.claim("short", "k", 60_000)).toBe(true); // an expired key can be claimed again
      const claims = await Promise.all(
        [one, two, one, two].map((state) => state.keys.claim("race", "r", 60_000)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      await one.close();
      await two.close();
    });
  });
}
