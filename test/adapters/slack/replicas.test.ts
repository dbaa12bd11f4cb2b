/**
 * Two replicas of the Slack app behind a load balancer, sharing one KeyStore (a SQLite file) and
 * one Slack workspace (the fake): whichever replica an event reaches, the bot answers as one bot.
 * Two Bolt apps in this process over loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FAKE_BOT, FakeSlack } from "../../fakes/slack/fake-slack.ts";
import { openTempKeys, type TempKeys } from "../temp-keys.ts";
import { eventBody, type Harness, nextEventId, nextTs, startHarness } from "./harness.ts";

describe("Slack events on two replicas sharing one KeyStore", () => {
  let slack: FakeSlack;
  let shared: TempKeys;
  let a: Harness;
  let b: Harness;

  beforeEach(async () => {
    slack = await new FakeSlack().start();
    shared = openTempKeys();
    a = await startHarness({ slack, deps: { keys: shared.keys } });
    b = await startHarness({ slack, deps: { keys: shared.keys } });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await slack.close();
    await shared.close();
  });

  /** Waits for `expected` answers, then a little longer for any stray extra one. */
  async function settle(expected: number): Promise<void> {
    await slack.waitFor(() => slack.answerCount() >= expected);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  function mention(channel: string, text: string, ts = nextTs()) {
    return { type: "app_mention", user: "U1", text: `<@${FAKE_BOT.userId}> ${text}`, ts, channel };
  }

  it("answers once an event delivered to replica A and then, as Slack's retry, to replica B", async () => {
    const body = eventBody(mention("C1", "hessian of CNNs"), nextEventId());
    expect((await a.send.event(body)).status).toBe(200);
    expect((await b.send.event(body, { retryNum: 1 })).status).toBe(200);
    expect((await b.send.event(body, { retryNum: 2 })).status).toBe(200);
    await settle(1);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers once an event whose retry reaches replica B while A is still on the first copy", async () => {
    const body = eventBody(mention("C1", "3D VQA"), nextEventId());
    const statuses = await Promise.all([a.send.event(body), b.send.event(body, { retryNum: 1 })]);
    expect(statuses.map((response) => response.status)).toEqual([200, 200]);
    await settle(1);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers once an event whose first copy to arrive already carries a retry header", async () => {
    // The original was lost on the way; Slack's first retry reaches A, the second B.
    const body = eventBody(mention("C1", "self distillation"), nextEventId());
    await a.send.event(body, { retryNum: 1 });
    await b.send.event(body, { retryNum: 2 });
    await settle(1);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers a DM once when its message.im reaches replica A and its app_mention replica B", async () => {
    const ts = nextTs();
    const text = `<@${FAKE_BOT.userId}> lottery tickets`;
    await a.send.event(
      eventBody({ type: "message", channel_type: "im", user: "U1", text, ts, channel: "D1" }),
    );
    await b.send.event(eventBody({ type: "app_mention", user: "U1", text, ts, channel: "D1" }));
    await settle(1);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers on replica B, after A stopped, a follow-up in a thread a mention on replica A started", async () => {
    const root = nextTs();
    await a.send.event(eventBody(mention("C2", "hessian rank", root)));
    await settle(1);
    expect(slack.callsTo("chat.postMessage")[0]?.args.thread_ts).toBe(root);
    await a.handle.stop();

    await b.send.event(
      eventBody({
        type: "message",
        channel_type: "channel",
        user: "U1",
        text: "and cosmology?",
        ts: nextTs(),
        thread_ts: root,
        channel: "C2",
      }),
    );
    await settle(2);
    const posts = slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(2);
    expect(posts[1]?.args.thread_ts).toBe(root);
    expect(JSON.stringify(posts[1]?.args.blocks)).toContain("2211.12346");

    // A thread neither replica took part in stays someone else's conversation.
    await b.send.event(
      eventBody({
        type: "message",
        channel_type: "channel",
        user: "U1",
        text: "unrelated",
        ts: nextTs(),
        thread_ts: "1600000000.000001",
        channel: "C2",
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(slack.answerCount()).toBe(2);
  });

  it("answers on replica B a follow-up under a daily post replica A made", async () => {
    const { messageId } = await a.handle.post(
      "C3",
      { kind: "message", tone: "info", text: "Paper of the day", ephemeral: false },
      { idempotencyKey: "pb-daily-1" },
    );
    await b.send.event(
      eventBody({
        type: "message",
        channel_type: "channel",
        user: "U1",
        text: "anything on continual learning?",
        ts: nextTs(),
        thread_ts: messageId,
        channel: "C3",
      }),
    );
    await settle(2);
    const posts = slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(2);
    expect(posts[1]?.args.thread_ts).toBe(messageId);
  });
});
