import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SendOptions } from "../../fakes/slack/signed-request.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { commandFields, eventBody, type Harness, nextTs, startHarness } from "./harness.ts";

describe("Slack request signatures (Bolt's verification)", () => {
  let harness: Harness;
  let handlerRuns = 0;
  beforeAll(async () => {
    const papers = await bundledIndex();
    harness = await startHarness({
      deps: {
        getPapers: () => {
          handlerRuns += 1;
          return papers;
        },
      },
    });
  });
  afterAll(async () => harness.close());

  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, SendOptions][] = [
    ["a signature made with the wrong secret", { secret: "not-the-secret" }],
    ["a timestamp six minutes old (replay)", { timestamp: now() - 6 * 60 }],
    ["no signature headers", { unsigned: true }],
  ];

  it.each(cases)("rejects a slash command with %s: 401 and no handler runs", async (_name, options) => {
    const before = handlerRuns;
    const response = await harness.send.command(commandFields(harness.slack, "search hessian"), options);
    expect(response.status).toBe(401);
    expect(handlerRuns).toBe(before);
  });

  it.each(cases)("rejects an event with %s: 401 and nothing is posted", async (_name, options) => {
    const before = harness.slack.answerCount();
    const response = await harness.send.event(
      eventBody({
        type: "message",
        channel_type: "im",
        user: "U1",
        text: "hessian",
        ts: nextTs(),
        channel: "D9",
      }),
      options,
    );
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(harness.slack.answerCount()).toBe(before);
  });

  it("rejects a body altered after signing", async () => {
    const fields = commandFields(harness.slack, "search hessian");
    const body = new URLSearchParams(fields).toString();
    const { slackSignature } = await import("../../fakes/slack/signed-request.ts");
    const timestamp = now();
    const response = await fetch(`${harness.baseUrl}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": slackSignature("test-signing-secret", timestamp, body),
      },
      body: body.replace("hessian", "forgetting"),
    });
    expect(response.status).toBe(401);
  });

  it("accepts the same request correctly signed", async () => {
    const before = handlerRuns;
    const response = await harness.send.command(commandFields(harness.slack, "search hessian"));
    expect(response.status).toBe(200);
    expect(handlerRuns).toBe(before + 1);
  });
});
