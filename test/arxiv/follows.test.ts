/**
 * Follows end to end below the chat platforms: `/follow` through the service, checks against the
 * local fake arXiv through the real paced client, posts through a recording platform, state in a
 * real SQLite file, and restarts or crashes between steps.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { MessageReply, PaperReply } from "../../src/core/reply.ts";
import { paperIdOf } from "../daily/helpers.ts";
import { type ArxivHarness, arxivHarness, CHANNEL, fakePaper, MANAGER, text } from "./arxiv-harness.ts";

const open: ArxivHarness[] = [];
async function harness(...args: Parameters<typeof arxivHarness>): Promise<ArxivHarness> {
  const h = await arxivHarness(...args);
  open.push(h);
  return h;
}
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

const HOUR = 3_600_000;
const BACKLOG = Array.from({ length: 8 }, (_, i) =>
  fakePaper(`2403.0${String(i + 1).padStart(4, "0")}`, `2024-03-0${(i % 8) + 1}T10:00:00Z`),
);

describe("follows", () => {
  it("posts a new matching paper once, headed New on arXiv, and adds it to the corpus, never the backlog", async () => {
    const h = await harness("2024-03-10T12:00:00Z", { papers: BACKLOG });
    await h.service.start();
    expect(
      text(await h.service.follows.handle(CHANNEL, 'author:"Thomas Hofmann" diffusion', MANAGER)),
    ).toContain("Following author: Thomas Hofmann, diffusion here");
    await h.service.tick();
    expect(h.poster.sent).toHaveLength(0); // the backlog before the follow began is not news
    h.fake.addPapers(
      fakePaper("2403.10001", "2024-03-10T15:00:00Z", { title: "Guided Diffusion Models, Revisited" }),
    );
    h.line.now += HOUR;
    await h.service.tick();
    expect(h.poster.sent).toHaveLength(1);
    const reply = h.poster.sent[0]?.reply as PaperReply;
    expect(reply.heading).toBe("New on arXiv");
    expect(reply.paper.title).toBe("Guided Diffusion Models, Revisited");
    expect(h.corpus.current().get("2403.10001")?.title).toBe("Guided Diffusion Models, Revisited");
    expect(h.corpus.current().search("guided diffusion revisited").hits[0]?.paper.id).toBe("2403.10001");
    for (let i = 0; i < 3; i++) {
      h.line.now += HOUR;
      await h.service.tick();
    }
    expect(h.poster.sent).toHaveLength(1);
    await h.restart();
    h.line.now += HOUR;
    await h.service.tick();
    expect(h.poster.sent).toHaveLength(1);
    expect(h.corpus.current().get("2403.10001")).toBeDefined(); // still there after a restart
  });

  it("checks arXiv's loose author matches itself before posting", async () => {
    const h = await harness("2024-03-10T12:00:00Z");
    await h.service.start();
    await h.service.follows.handle(CHANNEL, 'author:"Thomas Hofmann"', MANAGER);
    await h.service.tick();
    h.fake.addPapers(
      fakePaper("2403.20001", "2024-03-10T13:00:00Z", { authors: ["Jane Hofmann"] }),
      fakePaper("2403.20002", "2024-03-10T13:30:00Z", { authors: ["Ada Lovelace", "Thomas Hofmann"] }),
    );
    h.line.now += HOUR;
    await h.service.tick();
    expect(h.poster.sent.map(paperIdOf)).toEqual(["2403.20002"]);
  });

  it("posts a few new papers one by one and the rest in one digest, each once", async () => {
    const h = await harness("2024-03-10T12:00:00Z");
    await h.service.start();
    await h.service.follows.handle(CHANNEL, "category:cs.LG", MANAGER);
    await h.service.tick();
    h.fake.addPapers(
      ...Array.from({ length: 7 }, (_, i) => fakePaper(`2403.3000${i + 1}`, `2024-03-10T13:0${i}:00Z`)),
    );
    h.line.now += HOUR;
    await h.service.tick();
    expect(h.poster.sent).toHaveLength(4);
    expect(h.poster.sent.slice(0, 3).map(paperIdOf)).toEqual(["2403.30001", "2403.30002", "2403.30003"]);
    const digest = h.poster.sent[3]?.reply as MessageReply;
    expect(digest.text).toContain("4 more papers");
    for (const id of ["2403.30004", "2403.30005", "2403.30006", "2403.30007"])
      expect(digest.text).toContain(id);
    h.line.now += HOUR;
    await h.service.tick();
    expect(h.poster.sent).toHaveLength(4);
  });

  it("gives a channel one post for a paper two of its follows match, and none for a new version", async () => {
    const h = await harness("2024-03-10T12:00:00Z");
    await h.service.start();
    await h.service.follows.handle(CHANNEL, 'author:"Thomas Hofmann"', MANAGER);
    await h.service.follows.handle(CHANNEL, "category:cs.LG diffusion", MANAGER);
    await h.service.tick();
    h.fake.addPapers(fakePaper("2403.40001", "2024-03-10T13:00:00Z"));
    h.line.now += HOUR;
    await h.service.tick();
    expect(h.poster.sent.map(paperIdOf)).toEqual(["2403.40001"]);
    h.fake.addPapers(
      fakePaper("2403.40001", "2024-03-10T13:00:00Z", {
        version: 2,
        updated: "2024-03-11T09:00:00Z",
        title: "Study, revised",
      }),
    );
    h.line.now += 2 * HOUR;
    await h.service.tick();
    expect(h.poster.sent).toHaveLength(1);
  });

  it("posts once across a kill between the send and its record", async () => {
    const h = await harness("2024-03-10T12:00:00Z");
    await h.service.start();
    await h.service.follows.handle(CHANNEL, "category:cs.LG", MANAGER);
    await h.service.tick();
    h.fake.addPapers(fakePaper("2403.50001", "2024-03-10T13:00:00Z"));
    h.poster.hangNext = { deliverFirst: true }; // the message lands, then the process dies
    h.line.now += HOUR;
    await h.service.tick();
    expect(h.poster.sent).toHaveLength(1);
    await h.crash();
    for (let i = 0; i < 4; i++) {
      h.line.now += 20 * 60_000;
      await h.service.tick();
    }
    expect(h.poster.sent).toHaveLength(1);
    expect(text(await h.service.follows.handle(CHANNEL, "list", MANAGER))).toContain(
      "1 new paper posted here",
    );
  });

  it("sends a post again after a kill before it landed", async () => {
    const h = await harness("2024-03-10T12:00:00Z");
    await h.service.start();
    await h.service.follows.handle(CHANNEL, "category:cs.LG", MANAGER);
    await h.service.tick();
    h.fake.addPapers(fakePaper("2403.60001", "2024-03-10T13:00:00Z"));
    h.poster.hangNext = { deliverFirst: false };
    h.line.now += HOUR;
    await h.service.tick();
    expect(h.poster.sent).toHaveLength(0);
    await h.crash();
    h.line.now += 5 * 60_000;
    await h.service.tick();
    expect(h.poster.sent.map(paperIdOf)).toEqual(["2403.60001"]);
  });

  it("catches up on start with what appeared while the bot was down", async () => {
    const h = await harness("2024-03-10T12:00:00Z");
    await h.service.start();
    await h.service.follows.handle(CHANNEL, "category:cs.LG", MANAGER);
    await h.service.tick();
    await h.service.stop();
    h.fake.addPapers(
      fakePaper("2403.70001", "2024-03-11T13:00:00Z"),
      fakePaper("2403.70002", "2024-03-12T13:00:00Z"),
    );
    h.line.now += 3 * 24 * HOUR;
    await h.restart();
    expect(h.poster.sent.map(paperIdOf)).toEqual(["2403.70001", "2403.70002"]);
  });

  it("keeps checking other follows while one fails, and shows the failure in /follow list", async () => {
    const h = await harness("2024-03-10T12:00:00Z");
    await h.service.start();
    await h.service.follows.handle(CHANNEL, "category:cs.LG", MANAGER);
    await h.service.follows.handle(CHANNEL, 'author:"Thomas Hofmann"', MANAGER);
    await h.service.tick();
    h.fake.addPapers(fakePaper("2403.80001", "2024-03-10T13:00:00Z", { categories: ["math.PR"] }));
    // The first follow's check meets 503s on every try; the second's goes through.
    for (let i = 0; i < 3; i++) h.fake.failNext({ status: 503 });
    h.line.now += HOUR;
    await h.service.tick();
    expect(h.poster.sent.map(paperIdOf)).toEqual(["2403.80001"]);
    const list = text(await h.service.follows.handle(CHANNEL, "list", MANAGER));
    expect(list).toMatch(/1\. category:cs\.LG \(check failing \(1 in a row\): arXiv did not answer/);
    expect(list).toContain('2. author:"Thomas Hofmann" (checked');
    h.line.now += 10 * 60_000; // the failed follow is retried sooner than the hourly check
    await h.service.tick();
    expect(text(await h.service.follows.handle(CHANNEL, "list", MANAGER))).not.toContain("failing");
  });

  it("takes follows off one by one or all, and only from channel managers", async () => {
    const h = await harness("2024-03-10T12:00:00Z");
    await h.service.follows.handle(CHANNEL, "category:cs.LG", MANAGER);
    await h.service.follows.handle(CHANNEL, "category:stat.ML", MANAGER);
    const discord = { platform: "discord" as const, channelId: "D1" };
    await expect(
      h.service.follows.handle(discord, "category:cs.LG", { id: "u2", canManageChannel: false }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(h.service.follows.handle(CHANNEL, "off 3", MANAGER)).rejects.toMatchObject({
      code: "bad_input",
    });
    expect(text(await h.service.follows.handle(CHANNEL, "off 1", MANAGER))).toContain(
      "Stopped following category:cs.LG",
    );
    expect(text(await h.service.follows.handle(CHANNEL, "list", MANAGER))).toContain("1. category:stat.ML");
    expect(text(await h.service.follows.handle(CHANNEL, "off all", MANAGER))).toContain("Stopped all 1");
    expect(text(await h.service.follows.handle(CHANNEL, "list", MANAGER))).toContain("follows nothing");
  });

  it("asks arXiv one request at a time, at least the interval apart, however many follows are due", async () => {
    const intervalMs = 150;
    const h = await harness("2024-03-10T12:00:00Z", { intervalMs });
    const channels = ["C1", "C2", "C3", "C4"];
    for (const channelId of channels)
      for (const filters of ["category:cs.LG", 'author:"Thomas Hofmann"', "diffusion"])
        await h.service.follows.handle({ platform: "slack", channelId }, filters, MANAGER);
    h.fake.addPapers(fakePaper("2403.90001", "2024-03-10T13:00:00Z"));
    h.line.now += HOUR;
    // Two passes racing (a catch-up and the minute job) still share the one paced connection.
    await Promise.all([h.service.tick(), h.service.tick()]);
    const requests = h.fake.requests;
    expect(requests).toHaveLength(12); // one per follow: each check was taken by one pass
    expect(h.fake.maxInFlight).toBe(1);
    for (let i = 1; i < requests.length; i++) {
      const gap = (requests[i]?.receivedAt ?? 0) - (requests[i - 1]?.receivedAt ?? 0);
      expect(gap).toBeGreaterThanOrEqual(intervalMs - 5);
    }
    // Every channel got the paper once, though three of its follows matched it.
    for (const channelId of channels)
      expect(h.poster.postsIn(channelId).map(paperIdOf)).toEqual(["2403.90001"]);
  });
});
