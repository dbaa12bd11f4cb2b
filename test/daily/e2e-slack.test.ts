/** Daily posts end to end through the real Bolt app and WebClient against the fake Slack. */
import { afterEach, describe, expect, it } from "vitest";
import { commandFields, type Harness, startHarness } from "../adapters/slack/harness.ts";
import { bundledIndex } from "../fixtures/corpus.ts";
import { DailyProcess } from "./e2e-process.ts";
import { flush } from "./helpers.ts";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function setup(start: string): Promise<{ harness: Harness; daily: DailyProcess }> {
  const papers = await bundledIndex();
  const daily = new DailyProcess(start, () => papers);
  const harness = await startHarness({ deps: { daily: daily.control } });
  cleanup.push(
    () => harness.close(),
    () => daily.close(),
  );
  daily.attach("slack", harness.handle);
  await daily.start();
  return { harness, daily };
}

async function slash(harness: Harness, text: string, channel = "C1"): Promise<string> {
  const response = await harness.send.command({ ...commandFields(harness.slack, text), channel_id: channel });
  expect(response.status).toBe(200);
  const body = await response.text();
  if (body) return body;
  // A deferred answer arrives through response_url.
  const answer = await harness.slack.waitFor(() => harness.slack.responses.at(-1));
  return JSON.stringify(answer);
}

/** The daily posts actually in a channel, as conversations.history shows them (newest first). */
async function dailyPosts(harness: Harness, channel: string): Promise<{ ts: string; metadata?: unknown }[]> {
  const response = await fetch(`${harness.slack.apiUrl}conversations.history`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Bearer xoxb-test" },
    body: new URLSearchParams({ channel, include_all_metadata: "true", limit: "1000" }).toString(),
  });
  const body = (await response.json()) as { messages: { ts: string; metadata?: unknown }[] };
  return body.messages.filter((message) => JSON.stringify(message.metadata ?? "").includes("paperbot_daily"));
}

describe("daily posts on Slack (real Bolt against the fake)", () => {
  it("subscribes with /paper daily on and posts exactly once a day across the DST change", async () => {
    const { harness, daily } = await setup("2024-03-08T12:00:00Z");
    expect(await slash(harness, "daily on 08:30 America/New_York")).toContain("Daily paper on");
    // New York springs forward on 2024-03-10: 08:30 is 13:30Z before, 12:30Z after.
    const days = [
      ["2024-03-09", "13:30"],
      ["2024-03-10", "12:30"],
      ["2024-03-11", "12:30"],
    ] as const;
    for (const [index, [day, at]] of days.entries()) {
      await daily.tickAt(`${day}T${at === "13:30" ? "13:29" : "12:29"}:00Z`);
      expect(await dailyPosts(harness, "C1")).toHaveLength(index);
      await daily.tickAt(`${day}T${at}:00Z`);
      await daily.tickAt(`${day}T${at}:30Z`);
      await daily.tickAt(`${day}T20:00:00Z`);
      expect(await dailyPosts(harness, "C1")).toHaveLength(index + 1);
    }
    const first = harness.slack.callsTo("chat.postMessage")[0];
    expect(JSON.stringify(first?.args.blocks)).toContain("Paper of the day");
    expect(await slash(harness, "daily status")).toContain("Rotation 1: 3 of 10 papers posted");
  });

  it("does not post again after a crash between sending and recording it (asks conversations.history)", async () => {
    const { harness, daily } = await setup("2024-05-01T06:00:00Z");
    await slash(harness, "daily on 09:00 UTC");
    daily.dieAfterNextSend = true;
    daily.line.now = Date.parse("2024-05-01T09:00:00Z");
    void daily.service.tick();
    await harness.slack.waitFor(() => harness.slack.callsTo("chat.postMessage").length === 1);
    await flush();
    await daily.crashAndRestart(10 * 60_000);
    await daily.tickAt("2024-05-01T09:30:00Z");
    // The restarted process asked Slack before sending again.
    expect(harness.slack.callsTo("conversations.history").length).toBeGreaterThan(0);
    expect(await dailyPosts(harness, "C1")).toHaveLength(1);
    expect(harness.slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(await slash(harness, "daily status")).toContain("posted");
  });

  it("retries after a rate limit and reports a deleted channel without holding up others", async () => {
    const { harness, daily } = await setup("2024-05-01T06:00:00Z");
    await slash(harness, "daily on 09:00 UTC", "C1");
    await slash(harness, "daily on 09:00 UTC", "C2");
    harness.slack.rateLimits.set("chat.postMessage", 1);
    await daily.tickAt("2024-05-01T09:00:00Z");
    expect(await dailyPosts(harness, "C1")).toHaveLength(0);
    harness.slack.rateLimits.delete("chat.postMessage");
    harness.slack.failures.set("chat.postMessage", "channel_not_found");
    await daily.tickAt("2024-05-01T09:01:30Z");
    harness.slack.failures.delete("chat.postMessage");
    // C1 is "deleted" from here on; C2 recovers.
    const original = harness.handle.post;
    harness.handle.post = (channelId, reply, options) =>
      channelId === "C1"
        ? Promise.reject(new Error("An API error occurred: channel_not_found"))
        : original(channelId, reply, options);
    for (let minute = 2; minute <= 60; minute++) {
      await daily.tickAt(`2024-05-01T09:${String(minute).padStart(2, "0")}:30Z`.replace("09:60", "10:00"));
    }
    expect(await dailyPosts(harness, "C2")).toHaveLength(1);
    const status = await slash(harness, "daily status", "C1");
    expect(status).toContain("failed");
    expect(status).toContain("channel_not_found");
  });
});
