import { afterEach, describe, expect, it } from "vitest";
import type { DailyControl } from "../../../src/core/daily-control.ts";
import { paperReply } from "../../../src/core/paper-view.ts";
import { messageReply } from "../../../src/core/reply.ts";
import { commandFields, eventBody, type Harness, nextTs, startHarness } from "./harness.ts";

function slowDaily(delayMs: number, seen: unknown[] = []): DailyControl {
  return {
    async handle(channel, text, user) {
      seen.push({ channel, text, user });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return messageReply(`daily ${text} for ${channel.channelId}`);
    },
  };
}

describe("Slack adapter lifecycle", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("acks at once and answers on response_url when a command is slower than the inline budget", async () => {
    const seen: unknown[] = [];
    harness = await startHarness({
      deps: { daily: slowDaily(100, seen) },
      options: { inlineAnswerBudgetMs: 10 },
    });
    const fields = commandFields(harness.slack, "daily status");
    const response = await harness.send.command(fields);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    const slack = harness.slack;
    const [answer] = await slack.waitFor(() => {
      const found = slack.responsesTo(fields.response_url ?? "");
      return found.length > 0 && found;
    });
    expect(answer?.body.response_type).toBe("in_channel");
    expect(JSON.stringify(answer?.body.blocks)).toContain("daily status for C1");
    expect(seen).toEqual([
      {
        channel: { platform: "slack", channelId: "C1" },
        text: "status",
        user: expect.objectContaining({ id: "U1" }),
      },
    ]);
  });

  it("lets work already acked finish on stop(), then refuses new requests", async () => {
    harness = await startHarness({ deps: { daily: slowDaily(300) }, options: { inlineAnswerBudgetMs: 10 } });
    const { slack, send } = harness;
    const fields = commandFields(slack, "daily now");
    expect((await send.command(fields)).status).toBe(200);
    await harness.handle.stop();
    expect(slack.responsesTo(fields.response_url ?? "")).toHaveLength(1);
    await expect(send.command(commandFields(slack, "random"))).rejects.toThrow();
  });

  it("posts daily papers with metadata that wasPosted finds, and answers questions in their thread", async () => {
    harness = await startHarness();
    const { slack, handle, papers, send } = harness;
    const paper = papers.get("2305.09088");
    if (!paper) throw new Error("fixture paper missing");
    const posted = await handle.post("C9", paperReply(paper, { heading: "Paper of the day" }), {
      idempotencyKey: "d-C9-2024-03-01",
    });
    const [call] = slack.callsTo("chat.postMessage");
    expect(call?.args.metadata).toEqual({
      event_type: "paperbot_daily",
      event_payload: { key: "d-C9-2024-03-01" },
    });
    expect(posted.messageId).toBeTruthy();
    expect(await handle.wasPosted("C9", "d-C9-2024-03-01")).toBe(true);
    expect(await handle.wasPosted("C9", "d-C9-2024-03-02")).toBe(false);
    expect(await handle.wasPosted("C8", "d-C9-2024-03-01")).toBe(false);
    await send.event(
      eventBody({
        type: "message",
        channel_type: "channel",
        user: "U1",
        text: "what is its rank bound?",
        ts: nextTs(),
        thread_ts: posted.messageId,
        channel: "C9",
      }),
    );
    const replies = await slack.waitFor(() => {
      const found = slack
        .callsTo("chat.postMessage")
        .filter((post) => post.args.thread_ts === posted.messageId);
      return found.length > 0 && found;
    });
    expect(replies).toHaveLength(1);
  });

  it("reports a rate-limited daily post with retryAfterMs instead of waiting inside the client", async () => {
    harness = await startHarness();
    harness.slack.rateLimits.set("chat.postMessage", 7);
    const paper = harness.papers.all()[0];
    if (!paper) throw new Error("fixture paper missing");
    const started = Date.now();
    const error = await harness.handle
      .post("C9", paperReply(paper), { idempotencyKey: "k" })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(7000);
    // It did not sit out the 7 s itself.
    expect(Date.now() - started).toBeLessThan(7000);
  });

  it("accepts command names without a slash and registers a name given twice only once", async () => {
    harness = await startHarness({
      config: { commandNames: { paper: "Papers", search: "papers2", ask: "/papers2" } },
    });
    const response = await harness.send.command(commandFields(harness.slack, "hessian", "/papers2"));
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain("Results for");
    const help = await harness.send.command(commandFields(harness.slack, "help", "/papers"));
    expect(JSON.stringify(await help.json())).toContain("/papers search");
  });
});
