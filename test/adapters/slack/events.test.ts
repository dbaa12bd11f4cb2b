import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_BOT } from "../../fakes/slack/fake-slack.ts";
import { eventBody, type Harness, nextEventId, nextTs, startHarness } from "./harness.ts";

/** Events are answered after the ack, so wait for the answer, then a little more for any stray second one. */
async function settle(harness: Harness, expected: number): Promise<void> {
  await harness.slack.waitFor(() => harness.slack.answerCount() >= expected);
  await new Promise((resolve) => setTimeout(resolve, 150));
}

describe("Slack mentions, DMs and threads over signed HTTP events", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => harness.close());
  beforeEach(() => {
    harness.slack.calls.length = 0;
    harness.slack.responses.length = 0;
  });

  it("answers a channel mention with ask, in a thread under the question", async () => {
    const ts = nextTs();
    const response = await harness.send.event(
      eventBody({
        type: "app_mention",
        user: "U1",
        text: `<@${FAKE_BOT.userId}> which paper is about forgetting in continual learning?`,
        ts,
        channel: "C1",
        event_ts: ts,
      }),
    );
    expect(response.status).toBe(200);
    await settle(harness, 1);
    const posts = harness.slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe("C1");
    expect(posts[0]?.args.thread_ts).toBe(ts);
    expect(JSON.stringify(posts[0]?.args.blocks)).toContain("2303.09483");
    expect(posts[0]?.token).toBe("xoxb-test");
  });

  it("answers a follow-up in a thread it answered, without a mention", async () => {
    const root = nextTs();
    await harness.send.event(
      eventBody({
        type: "app_mention",
        user: "U1",
        text: `<@${FAKE_BOT.userId}> hessian rank`,
        ts: root,
        channel: "C2",
      }),
    );
    await settle(harness, 1);
    const followUp = nextTs();
    await harness.send.event(
      eventBody({
        type: "message",
        channel_type: "channel",
        user: "U1",
        text: "and cosmology?",
        ts: followUp,
        thread_ts: root,
        channel: "C2",
      }),
    );
    await settle(harness, 2);
    const posts = harness.slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(2);
    expect(posts[1]?.args.thread_ts).toBe(root);
    expect(JSON.stringify(posts[1]?.args.blocks)).toContain("2211.12346");
  });

  it("answers a mention inside its own thread once, though it arrives as app_mention and message", async () => {
    const root = nextTs();
    await harness.send.event(
      eventBody({
        type: "app_mention",
        user: "U1",
        text: `<@${FAKE_BOT.userId}> hessian`,
        ts: root,
        channel: "C8",
      }),
    );
    await settle(harness, 1);
    const ts = nextTs();
    const text = `<@${FAKE_BOT.userId}> and continual learning?`;
    const shared = { user: "U1", text, ts, thread_ts: root, channel: "C8" };
    await harness.send.event(eventBody({ type: "message", channel_type: "channel", ...shared }));
    await harness.send.event(eventBody({ type: "app_mention", ...shared }));
    await settle(harness, 2);
    expect(harness.slack.callsTo("chat.postMessage")).toHaveLength(2);
  });

  it("ignores thread replies in threads it has no part in", async () => {
    await harness.send.event(
      eventBody({
        type: "message",
        channel_type: "channel",
        user: "U1",
        text: "unrelated chat",
        ts: nextTs(),
        thread_ts: "1600000000.000001",
        channel: "C3",
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.slack.answerCount()).toBe(0);
  });

  it("answers a DM once even when Slack sends both message.im and app_mention", async () => {
    const ts = nextTs();
    const text = `<@${FAKE_BOT.userId}> self distillation with random teachers`;
    await harness.send.event(
      eventBody({ type: "message", channel_type: "im", user: "U1", text, ts, channel: "D1" }),
    );
    await harness.send.event(eventBody({ type: "app_mention", user: "U1", text, ts, channel: "D1" }));
    await settle(harness, 1);
    const posts = harness.slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe("D1");
    expect(posts[0]?.args.thread_ts).toBe(ts);
  });

  it("ignores its own messages, other bots and message subtypes", async () => {
    const base = { type: "message", channel_type: "im", channel: "D1", text: "hessian" };
    await harness.send.event(
      eventBody({ ...base, user: FAKE_BOT.userId, bot_id: FAKE_BOT.botId, ts: nextTs() }),
    );
    await harness.send.event(eventBody({ ...base, user: "U9", bot_id: "BOTHER", ts: nextTs() }));
    await harness.send.event(eventBody({ ...base, user: "U1", subtype: "message_changed", ts: nextTs() }));
    await harness.send.event(eventBody({ ...base, user: "U1", subtype: "channel_join", ts: nextTs() }));
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(harness.slack.answerCount()).toBe(0);
  });

  it.each([1, 2, 3])("answers exactly once when a delivery is retried %i time(s)", async (retries) => {
    const ts = nextTs();
    const body = eventBody(
      { type: "app_mention", user: "U1", text: `<@${FAKE_BOT.userId}> hessian of CNNs`, ts, channel: "C4" },
      nextEventId(),
    );
    const first = await harness.send.event(body);
    expect(first.status).toBe(200);
    for (let retry = 1; retry <= retries; retry += 1) {
      const again = await harness.send.event(body, { retryNum: retry });
      expect(again.status).toBe(200);
    }
    await settle(harness, 1);
    expect(harness.slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers a first delivery that already carries X-Slack-Retry-Num", async () => {
    const ts = nextTs();
    const body = eventBody({
      type: "app_mention",
      user: "U1",
      text: `<@${FAKE_BOT.userId}> 3D VQA`,
      ts,
      channel: "C5",
    });
    await harness.send.event(body, { retryNum: 2 });
    await harness.send.event(body, { retryNum: 3 });
    await settle(harness, 1);
    expect(harness.slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("sends errors and hints only to the asker", async () => {
    const ts = nextTs();
    await harness.send.event(
      eventBody({
        type: "app_mention",
        user: "U1",
        text: `<@${FAKE_BOT.userId}> ${"x".repeat(4000)}`,
        ts,
        channel: "C6",
      }),
    );
    await settle(harness, 1);
    expect(harness.slack.callsTo("chat.postMessage")).toHaveLength(0);
    const ephemeral = harness.slack.callsTo("chat.postEphemeral");
    expect(ephemeral).toHaveLength(1);
    expect(ephemeral[0]?.args.user).toBe("U1");
    expect(ephemeral[0]?.args.thread_ts).toBe(ts);
  });

  it("answers Slack's URL verification challenge", async () => {
    const response = await harness.send.event({ type: "url_verification", challenge: "abc123", token: "t" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("abc123");
  });
});
