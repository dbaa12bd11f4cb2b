import { describe, expect, it } from "vitest";
import { PaperIndex as Index } from "../../src/core/paper-index.ts";
import type { PaperReply } from "../../src/core/reply.ts";
import { fixtureIndex, fixturePaper, paperIdOf } from "./helpers.ts";
import { DISCORD, HOUR, harness, MANAGER, MEMBER, MINUTE, text } from "./service-harness.ts";

describe("daily posts", () => {
  it("posts at the scheduled minute in the channel's time zone, once", async () => {
    const h = await harness("2024-03-15T06:00:00Z");
    await h.service.handle(DISCORD, "on 08:30 Europe/Zurich", MANAGER); // 07:30Z
    await h.line.advanceTo(Date.parse("2024-03-15T07:29:00Z"));
    expect(h.poster.sent).toHaveLength(0);
    await h.line.advanceTo(Date.parse("2024-03-15T07:30:30Z"));
    expect(h.poster.sent).toHaveLength(1);
    const post = h.poster.sent[0];
    expect(new Date(post?.at ?? 0).toISOString()).toBe("2024-03-15T07:30:00.000Z");
    const reply = post?.reply as PaperReply;
    expect(reply.heading).toBe("Paper of the day");
    expect(reply.actions.map((action) => action.kind)).toEqual(["another", "abstract", "bibtex", "related"]);
    expect(post?.key.length).toBeLessThanOrEqual(25);
    await h.line.advanceTo(Date.parse("2024-03-15T23:00:00Z"));
    expect(h.poster.sent).toHaveLength(1);
    await h.line.advanceTo(Date.parse("2024-03-16T07:31:00Z"));
    expect(h.poster.sent).toHaveLength(2);
  });

  it("catches up once on start when the process was down at the scheduled time", async () => {
    const h = await harness("2024-03-15T06:00:00Z");
    await h.service.handle(DISCORD, "on 09:00 UTC", MANAGER);
    await h.service.stop();
    h.line.now = Date.parse("2024-03-15T14:00:00Z"); // down from 06:00 to 14:00
    await h.restart();
    expect(h.poster.sent).toHaveLength(1);
    await h.restart();
    await h.line.advanceBy(2 * HOUR);
    expect(h.poster.sent).toHaveLength(1);
  });

  it("does not post for a time that had already passed when the schedule was turned on", async () => {
    const h = await harness("2024-03-15T10:00:00Z");
    await h.service.handle(DISCORD, "on 09:00", MANAGER);
    await h.line.advanceTo(Date.parse("2024-03-15T23:59:00Z"));
    expect(h.poster.sent).toHaveLength(0);
    await h.line.advanceTo(Date.parse("2024-03-16T09:00:00Z"));
    expect(h.poster.sent).toHaveLength(1);
  });

  it("re-sends after a crash between claim and send only when the platform has not got it", async () => {
    const h = await harness("2024-03-15T08:00:00Z");
    await h.service.handle(DISCORD, "on 09:00", MANAGER);
    h.poster.hangNext = { deliverFirst: true }; // the message lands, then the process dies
    await h.line.advanceTo(Date.parse("2024-03-15T09:00:00Z"));
    expect(h.poster.sent).toHaveLength(1);
    h.line.now += 5 * MINUTE;
    await h.crashAndRestart();
    await h.line.advanceBy(30 * MINUTE);
    expect(h.poster.sent).toHaveLength(1);
    expect(text(await h.service.handle(DISCORD, "status", MEMBER))).toContain("posted “Paper");

    h.poster.hangNext = { deliverFirst: false }; // the process dies before the message lands
    await h.line.advanceTo(Date.parse("2024-03-16T09:00:00Z"));
    expect(h.poster.sent).toHaveLength(1);
    h.line.now += 5 * MINUTE;
    await h.crashAndRestart();
    await h.line.advanceBy(5 * MINUTE);
    expect(h.poster.sent).toHaveLength(2);
    expect(new Set(h.poster.sent.map((post) => post.key)).size).toBe(2);
  });

  it("retries a failed send with backoff, then records the failure in status", async () => {
    const h = await harness("2024-03-15T08:00:00Z");
    await h.service.handle(DISCORD, "on 09:00", MANAGER);
    h.poster.failures = { error: new Error("Missing Access"), count: 100 };
    await h.line.advanceTo(Date.parse("2024-03-15T12:00:00Z"));
    expect(h.poster.failures.count).toBe(100 - 5);
    const status = text(await h.service.handle(DISCORD, "status", MEMBER));
    expect(status).toContain("failed to post");
    expect(status).toContain("Missing Access");
    h.poster.failures = undefined;
    await h.line.advanceTo(Date.parse("2024-03-16T09:00:00Z"));
    expect(h.poster.sent).toHaveLength(1);
    expect(text(await h.service.handle(DISCORD, "status", MEMBER))).toContain(
      "Last failure (2024-03-15): Missing Access",
    );
  });

  it("recovers when a rate limit clears within the retry budget", async () => {
    const h = await harness("2024-03-15T08:00:00Z");
    await h.service.handle(DISCORD, "on 09:00", MANAGER);
    h.poster.failures = {
      error: Object.assign(new Error("rate limited"), { retryAfterMs: 90_000 }),
      count: 2,
    };
    await h.line.advanceTo(Date.parse("2024-03-15T10:00:00Z"));
    expect(h.poster.sent).toHaveLength(1);
    expect(h.poster.sent[0]?.at).toBeGreaterThanOrEqual(Date.parse("2024-03-15T09:03:00Z"));
  });

  it("keeps other channels posting while one channel fails or hangs", async () => {
    const h = await harness("2024-03-15T08:00:00Z");
    for (const id of ["a", "b", "c"])
      await h.service.handle({ platform: "slack", channelId: id }, "on 09:00", MEMBER);
    const original = h.poster.post.bind(h.poster);
    h.poster.post = (channelId, reply, options) =>
      channelId === "b" ? new Promise(() => {}) : original(channelId, reply, options);
    await h.line.advanceTo(Date.parse("2024-03-15T09:02:00Z"));
    expect(h.poster.sent.map((post) => post.channelId).sort()).toEqual(["a", "c"]);
  });

  it("/daily now posts today's paper immediately and counts it as today's", async () => {
    const h = await harness("2024-03-15T06:00:00Z");
    await h.service.handle(DISCORD, "on 09:00", MANAGER);
    const reply = await h.service.handle(DISCORD, "now", MANAGER);
    expect(text(reply)).toContain("Today's paper is posted");
    expect(h.poster.sent).toHaveLength(1);
    expect(text(await h.service.handle(DISCORD, "now", MANAGER))).toContain("already here");
    await h.line.advanceTo(Date.parse("2024-03-15T20:00:00Z"));
    expect(h.poster.sent).toHaveLength(1);
    await h.line.advanceTo(Date.parse("2024-03-16T09:00:00Z"));
    expect(h.poster.sent).toHaveLength(2);
  });

  it("only lets channel managers change the schedule on Discord; status is open to all", async () => {
    const h = await harness("2024-03-15T06:00:00Z");
    await expect(h.service.handle(DISCORD, "on 09:00", MEMBER)).rejects.toMatchObject({ code: "forbidden" });
    await expect(h.service.handle(DISCORD, "now", MEMBER)).rejects.toMatchObject({ code: "forbidden" });
    await h.service.handle(DISCORD, "on 09:00", MANAGER);
    await expect(h.service.handle(DISCORD, "off", MEMBER)).rejects.toMatchObject({ code: "forbidden" });
    expect(text(await h.service.handle(DISCORD, "status", MEMBER))).toContain("every day at 09:00 UTC");
  });

  it("lets any Slack member change the schedule unless configured otherwise", async () => {
    const open = await harness("2024-03-15T06:00:00Z");
    await expect(
      open.service.handle({ platform: "slack", channelId: "C1" }, "on", MEMBER),
    ).resolves.toBeDefined();
    const strict = await harness("2024-03-15T06:00:00Z", { env: { DAILY_SLACK_ANYONE_CAN_MANAGE: "false" } });
    await expect(
      strict.service.handle({ platform: "slack", channelId: "C1" }, "on", MEMBER),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("answers an unknown time zone with a did-you-mean hint", async () => {
    const h = await harness("2024-03-15T06:00:00Z");
    await expect(h.service.handle(DISCORD, "on 09:00 Europe/Zurik", MANAGER)).rejects.toMatchObject({
      code: "bad_input",
      hint: expect.stringContaining("Europe/Zurich"),
    });
    await expect(h.service.handle(DISCORD, "on 25:00", MANAGER)).rejects.toMatchObject({ code: "bad_input" });
  });

  it("keeps settings that are left out and clears filters with 'all'", async () => {
    const papers = new Index([
      fixturePaper("2301.00001", { published: "2023-01-02" }),
      fixturePaper("2201.00002", { published: "2022-01-02" }),
    ]);
    const h = await harness("2024-03-15T06:00:00Z", { papers });
    expect(text(await h.service.handle(DISCORD, "on 08:30 Asia/Tokyo year:2023", MANAGER))).toContain(
      "filters: year:2023 (1 paper)",
    );
    const changed = text(await h.service.handle(DISCORD, "on 07:00", MANAGER));
    expect(changed).toContain("07:00 Asia/Tokyo");
    expect(changed).toContain("year:2023");
    expect(text(await h.service.handle(DISCORD, "on all", MANAGER))).toContain("all 2 papers");
    await expect(h.service.handle(DISCORD, "on year:1999", MANAGER)).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("posts every filtered paper once before any repeats, newly added papers first", async () => {
    const h = await harness("2024-01-01T00:00:00Z", { papers: fixtureIndex(4) });
    await h.service.handle(DISCORD, "on 09:00", MANAGER);
    await h.line.advanceTo(Date.parse("2024-01-02T10:00:00Z"));
    expect(h.poster.sent).toHaveLength(2);
    h.papers.current = new Index([...h.papers.current.all(), fixturePaper("2402.99999")]);
    await h.line.advanceTo(Date.parse("2024-01-03T10:00:00Z"));
    expect(paperIdOf(h.poster.sent[2] as never)).toBe("2402.99999");
    await h.line.advanceTo(Date.parse("2024-01-10T10:00:00Z"));
    const ids = h.poster.sent.map(paperIdOf);
    expect(new Set(ids.slice(0, 5)).size).toBe(5);
    expect(new Set(ids.slice(5, 10)).size).toBe(5);
    expect(ids[4]).not.toBe(ids[5]);
  });

  it("seeds subscriptions from DAILY_CHANNELS, and a /daily off survives restarts", async () => {
    const env = { DAILY_CHANNELS: "discord:111@10:00 Europe/Zurich, slack:C9@08:30" };
    const h = await harness("2024-03-15T06:00:00Z", { env });
    expect(text(await h.service.handle(DISCORD, "status", MEMBER))).toContain("10:00 Europe/Zurich");
    await h.line.advanceTo(Date.parse("2024-03-15T09:01:00Z"));
    expect(h.poster.postsIn("C9")).toHaveLength(1);
    expect(h.poster.postsIn("111")).toHaveLength(1);
    await h.service.handle(DISCORD, "off", MANAGER);
    await h.restart();
    expect(text(await h.service.handle(DISCORD, "status", MEMBER))).toContain("off");
  });
});
