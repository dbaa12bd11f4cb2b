import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackHandle, startSlack } from "../../../src/adapters/slack/start-slack.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import { assertWithinSlackLimits } from "../../fakes/slack/assert-within-slack-limits.ts";
import { FAKE_BOT, FakeSlack } from "../../fakes/slack/fake-slack.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { openTempKeys, type TempKeys } from "../temp-keys.ts";
import { blockActionPayload, commandFields, eventBody, nextTs } from "./harness.ts";

describe("Slack Socket Mode against a local apps.connections.open and WebSocket", () => {
  let slack: FakeSlack;
  let handle: SlackHandle;
  let keys: TempKeys;
  beforeAll(async () => {
    slack = await new FakeSlack().start();
    keys = openTempKeys();
    const papers = await bundledIndex();
    handle = await startSlack(
      { getPapers: () => papers, logger: SILENT_LOGGER, keys: keys.keys },
      {
        botToken: "xoxb-test",
        appToken: "xapp-test",
        apiUrl: slack.apiUrl,
        commandNames: { paper: "/paper" },
      },
      0,
    );
  });
  afterAll(async () => {
    await handle.stop();
    await slack.close();
    await keys.close();
  });

  it("opens the connection with the app token through the configured API URL", () => {
    expect(handle.mode).toBe("socket");
    const opens = slack.callsTo("apps.connections.open");
    expect(opens).toHaveLength(1);
    expect(opens[0]?.token).toBe("xapp-test");
    expect(slack.connectedSockets).toBe(1);
  });

  it("answers a slash command in the envelope ack", async () => {
    const ack = await slack.sendEnvelope("slash_commands", commandFields(slack, "search hessian"));
    expect(ack.payload?.response_type).toBe("in_channel");
    assertWithinSlackLimits(ack.payload ?? {});
    expect(JSON.stringify(ack.payload)).toContain("2305.09088");
  });

  it("acks an events_api envelope and answers the mention in a thread", async () => {
    const ts = nextTs();
    const body = eventBody({
      type: "app_mention",
      user: "U1",
      text: `<@${FAKE_BOT.userId}> hessian rank`,
      ts,
      channel: "C7",
    });
    const ack = await slack.sendEnvelope("events_api", body, { retry_attempt: 0 });
    expect(ack.envelope_id).toBeTruthy();
    const [post] = await slack.waitFor(() => {
      const posts = slack.callsTo("chat.postMessage").filter((call) => call.args.channel === "C7");
      return posts.length > 0 && posts;
    });
    expect(post?.args.thread_ts).toBe(ts);
    // A redelivery of the same event over the socket is acked but not answered again.
    await slack.sendEnvelope("events_api", body, { retry_attempt: 1, retry_reason: "timeout" });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(slack.callsTo("chat.postMessage").filter((call) => call.args.channel === "C7")).toHaveLength(1);
  });

  it("handles a button click delivered as an interactive envelope", async () => {
    const payload = blockActionPayload(slack, {
      action_id: "paperbot:bibtex:1",
      value: JSON.stringify({ c: "paper", t: "2305.09088", v: "bibtex" }),
    });
    const ack = await slack.sendEnvelope("interactive", payload);
    expect(ack.envelope_id).toBeTruthy();
    const [response] = await slack.waitFor(() => {
      const found = slack.responsesTo(String(payload.response_url));
      return found.length > 0 && found;
    });
    expect(response?.body.response_type).toBe("ephemeral");
  });
});
