/**
 * Regression tests for ways a channel could get two posts in a day, or none: each drives the real
 * engine and SQLite store with a manual clock through the race or time change that broke it.
 */
import { describe, expect, it } from "vitest";
import { localDay } from "../../src/daily/local-time.ts";
import { flush, type SentPost } from "./helpers.ts";
import { DISCORD, HOUR, harness, MANAGER, MEMBER, MINUTE, text } from "./service-harness.ts";

function localDays(posts: SentPost[], timeZone: string): string[] {
  return posts.map((post) => localDay(post.at, timeZone));
}

describe("exactly one post per channel and local day", () => {
  it("does not send again a post that /daily now sent while a busy tick had it queued", async () => {
    const h = await harness("2024-03-15T08:00:00Z");
    const channels = Array.from({ length: 9 }, (_, i) => ({
      platform: "slack" as const,
      channelId: `C${i + 1}`,
    }));
    for (const channel of channels) await h.service.handle(channel, "on 09:00 UTC", MEMBER);
    // The first eight channels' sends are slow: the tick's eight workers wait on them.
    const release: (() => void)[] = [];
    const send = h.poster.post.bind(h.poster);
    h.poster.post = async (channelId, reply, options) => {
      if (channelId !== "C9") await new Promise<void>((resolve) => release.push(resolve));
      return send(channelId, reply, options);
    };
    await h.line.advanceTo(Date.parse("2024-03-15T09:00:00Z"));
    expect(release).toHaveLength(8);
    h.line.now = Date.parse("2024-03-15T09:00:01Z");
    expect(text(await h.service.handle(channels[8] as never, "now", MEMBER))).toContain(
      "Today's paper is posted",
    );
    for (const done of release) done();
    await flush(10);
    await h.line.advanceTo(Date.parse("2024-03-15T12:00:00Z"));
    for (const channel of channels)
      expect(h.poster.postsIn(channel.channelId), channel.channelId).toHaveLength(1);
    expect(text(await h.service.handle(channels[8] as never, "status", MEMBER))).toContain("posted “Paper");
  });

  it("ends a day's retries with that local day, so yesterday's paper never posts after midnight", async () => {
    const h = await harness("2024-03-15T20:00:00Z");
    await h.service.handle(DISCORD, "on 23:50 Europe/Zurich", MANAGER); // 22:50Z
    // Attempts at 23:50, 23:51, 23:53 and 23:58 fail; the next would be at 00:13 the day after.
    h.poster.failures = { error: new Error("Service Unavailable"), count: 4 };
    await h.line.advanceTo(Date.parse("2024-03-16T23:55:00Z"));
    const days = localDays(h.poster.sent, "Europe/Zurich");
    expect(days).toEqual(["2024-03-16"]);
    expect(h.poster.sent[0]?.at).toBe(Date.parse("2024-03-16T22:50:00Z"));
    expect(text(await h.service.handle(DISCORD, "status", MEMBER))).toContain(
      "Last failure (2024-03-15): Service Unavailable",
    );
  });

  it("posts on the promised day after a zone change west across the date line", async () => {
    const h = await harness("2024-03-14T23:00:00Z"); // Fri 15 Mar 08:00 in Tokyo
    await h.service.handle(DISCORD, "on 09:00 Asia/Tokyo", MANAGER);
    await h.line.advanceTo(Date.parse("2024-03-15T00:01:00Z")); // posted Fri 15 Mar 09:00 Tokyo
    expect(h.poster.sent).toHaveLength(1);
    h.line.now = Date.parse("2024-03-15T01:00:00Z"); // Thu 14 Mar 18:00 in Los Angeles
    const reply = text(await h.service.handle(DISCORD, "on America/Los_Angeles", MANAGER));
    expect(reply).toContain("Next post: Fri 15 Mar 09:00");
    await h.line.advanceTo(Date.parse("2024-03-15T16:01:00Z")); // Fri 15 Mar 09:01 in Los Angeles
    expect(h.poster.sent).toHaveLength(2);
    expect(h.poster.sent[1]?.at).toBe(Date.parse("2024-03-15T16:00:00Z"));
    expect(h.poster.sent[1]?.key).not.toBe(h.poster.sent[0]?.key);
    await h.line.advanceTo(Date.parse("2024-03-16T15:59:00Z"));
    expect(h.poster.sent).toHaveLength(2);
  });

  it("gives a moved-east channel no second post in a local day its last post already had", async () => {
    const h = await harness("2024-03-14T15:00:00Z"); // Thu 14 Mar 08:00 in Los Angeles
    await h.service.handle(DISCORD, "on 09:00 America/Los_Angeles", MANAGER);
    await h.line.advanceTo(Date.parse("2024-03-14T16:01:00Z")); // Fri 15 Mar 01:01 in Tokyo
    expect(h.poster.sent).toHaveLength(1);
    const reply = text(await h.service.handle(DISCORD, "on Asia/Tokyo", MANAGER));
    expect(reply).toContain("Next post: Sat 16 Mar 09:00");
    await h.line.advanceTo(Date.parse("2024-03-16T00:01:00Z")); // Sat 16 Mar 09:01 in Tokyo
    expect(localDays(h.poster.sent, "Asia/Tokyo")).toEqual(["2024-03-15", "2024-03-16"]);
  });

  it("sends no queued retry after /daily off was confirmed", async () => {
    const h = await harness("2024-03-15T08:00:00Z");
    await h.service.handle(DISCORD, "on 09:00", MANAGER);
    h.poster.failures = { error: new Error("Service Unavailable"), count: 1 };
    await h.line.advanceTo(Date.parse("2024-03-15T09:00:30Z")); // failed once; retry queued for 09:01
    expect(text(await h.service.handle(DISCORD, "off", MANAGER))).toContain("Daily paper off");
    await h.line.advanceTo(Date.parse("2024-03-15T12:00:00Z"));
    expect(h.poster.sent).toHaveLength(0);
    await h.service.handle(DISCORD, "on 09:00", MANAGER);
    await h.line.advanceTo(Date.parse("2024-03-15T23:00:00Z"));
    expect(h.poster.sent).toHaveLength(0);
    await h.line.advanceTo(Date.parse("2024-03-16T09:01:00Z"));
    expect(h.poster.sent).toHaveLength(1);
  });

  it("posts on the spring-forward day of a zone whose skipped hour ends at midnight", async () => {
    // America/Nuuk, 30 Mar 2024: 22:59 is followed by 00:00 on the 31st; 23:30 never happens.
    const h = await harness("2024-03-29T12:00:00Z");
    await h.service.handle(DISCORD, "on 23:30 America/Nuuk", MANAGER);
    await h.line.advanceTo(Date.parse("2024-04-01T12:00:00Z"));
    expect(localDays(h.poster.sent, "America/Nuuk")).toEqual(["2024-03-29", "2024-03-30", "2024-03-31"]);
    expect(new Date(h.poster.sent[1]?.at ?? 0).toISOString()).toBe("2024-03-31T00:59:00.000Z"); // 22:59 local
  });

  it("keeps posting daily in every channel while one keeps failing all day", async () => {
    const h = await harness("2024-03-15T08:00:00Z");
    await h.service.handle(DISCORD, "on 09:00", MANAGER);
    await h.service.handle({ platform: "slack", channelId: "C1" }, "on 09:00", MEMBER);
    const send = h.poster.post.bind(h.poster);
    h.poster.post = (channelId, reply, options) =>
      channelId === DISCORD.channelId
        ? Promise.reject(new Error("Missing Access"))
        : send(channelId, reply, options);
    await h.line.advanceBy(3 * 24 * HOUR + 2 * MINUTE);
    expect(h.poster.postsIn("C1")).toHaveLength(3);
    expect(text(await h.service.handle(DISCORD, "status", MEMBER))).toContain("Missing Access");
  });
});
