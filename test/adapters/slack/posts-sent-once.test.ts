/**
 * Slack may store a chat.postMessage and still answer 5xx, or answer after the client gave up.
 * The Web API client must not resend such a post: the daily engine (through wasPosted) or nobody
 * decides. Driven through the real Bolt app and WebClient against the fake Slack.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import { paperReply } from "../../../src/core/paper-view.ts";
import { FAKE_BOT, type LostAnswer } from "../../fakes/slack/fake-slack.ts";
import { eventBody, type Harness, nextTs, startHarness } from "./harness.ts";

/** Short, so a lost answer times out quickly; the fake holds the lost answer back for twice this. */
const TIMEOUT_MS = 1000;
const LOST_TO_500: LostAnswer = { status: 500 };
const LOST_TO_TIMEOUT: LostAnswer = { stallMs: 2 * TIMEOUT_MS };

describe("Slack posts are never resent by the Web API client", () => {
  let harness: Harness;
  const errors: string[] = [];
  let channelCounter = 0;
  let channel = "";
  beforeAll(async () => {
    harness = await startHarness({
      deps: { logger: { ...SILENT_LOGGER, error: (message) => errors.push(message) } },
      options: { webApiTimeoutMs: TIMEOUT_MS },
    });
  });
  afterAll(async () => harness.close());
  beforeEach(() => {
    channelCounter += 1;
    channel = `CONCE${channelCounter}`;
    errors.length = 0;
  });

  async function postDaily(key: string): Promise<unknown> {
    const paper = harness.papers.all()[0];
    if (!paper) throw new Error("fixture paper missing");
    return harness.handle.post(channel, paperReply(paper), { idempotencyKey: key });
  }

  /** Mentions the bot in `channel`; resolves with the replies in the question's thread once settled. */
  async function mentionReplies(): Promise<unknown[]> {
    const ts = nextTs();
    const response = await harness.send.event(
      eventBody({ type: "app_mention", user: "U1", text: `<@${FAKE_BOT.userId}> hessian rank`, ts, channel }),
    );
    expect(response.status).toBe(200);
    const inThread = () => harness.slack.messagesIn(channel).filter((message) => message.thread_ts === ts);
    // Settled when the reply's failure is logged (nothing more will be sent), or a second copy is in.
    await harness.slack.waitFor(
      () => errors.some((error) => error.includes("answering a mention failed")) || inThread().length >= 2,
    );
    return inThread();
  }

  for (const [fault, lost] of [
    ["a 500", LOST_TO_500],
    ["a timeout", LOST_TO_TIMEOUT],
  ] as const) {
    it(`fails a daily post whose answer is lost to ${fault}, leaves one copy, and wasPosted finds it`, async () => {
      harness.slack.loseNextAnswer("chat.postMessage", lost);
      await expect(postDaily("day-1")).rejects.toThrow();
      expect(harness.slack.messagesIn(channel)).toHaveLength(1);
      expect(await harness.handle.wasPosted(channel, "day-1")).toBe(true);
    });

    it(`puts a mention reply whose answer is lost to ${fault} in the thread once`, async () => {
      harness.slack.loseNextAnswer("chat.postMessage", lost);
      expect(await mentionReplies()).toHaveLength(1);
    });
  }

  it("sends a rate-limited mention reply once, after Retry-After", async () => {
    harness.slack.rateLimitNext("chat.postMessage", 1);
    const ts = nextTs();
    const started = Date.now();
    await harness.send.event(
      eventBody({ type: "app_mention", user: "U1", text: `<@${FAKE_BOT.userId}> hessian rank`, ts, channel }),
    );
    const replies = await harness.slack.waitFor(() => {
      const found = harness.slack.messagesIn(channel).filter((message) => message.thread_ts === ts);
      return found.length > 0 && found;
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(replies).toHaveLength(1);
    expect(
      harness.slack.callsTo("chat.postMessage").filter((call) => call.args.thread_ts === ts),
    ).toHaveLength(2);
  });

  it("still retries a read: wasPosted survives a conversations.history answer lost to a 500", async () => {
    await postDaily("day-2");
    harness.slack.loseNextAnswer("conversations.history", LOST_TO_500);
    expect(await harness.handle.wasPosted(channel, "day-2")).toBe(true);
    expect(
      harness.slack.callsTo("conversations.history").filter((call) => call.args.channel === channel),
    ).toHaveLength(2);
  });
});
