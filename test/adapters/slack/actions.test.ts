import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { blockActionPayload, commandFields, type Harness, startHarness } from "./harness.ts";

interface Button {
  action_id: string;
  value?: string;
  url?: string;
}

interface Payload {
  blocks?: { type: string; elements?: Button[] }[];
}

function buttons(payload: Payload): Button[] {
  return (payload.blocks ?? [])
    .filter((block) => block.type === "actions")
    .flatMap((block) => block.elements ?? []);
}

function button(payload: Payload, kind: string): Button {
  const found = buttons(payload).find((candidate) => candidate.action_id.startsWith(`paperbot:${kind}:`));
  if (!found) throw new Error(`no ${kind} button in ${JSON.stringify(payload)}`);
  return found;
}

describe("Slack button clicks", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => harness.close());
  beforeEach(() => {
    harness.slack.calls.length = 0;
    harness.slack.responses.length = 0;
  });

  async function commandPayload(text: string): Promise<Payload> {
    const response = await harness.send.command(commandFields(harness.slack, text));
    return (await response.json()) as Payload;
  }

  async function click(payload: Record<string, unknown>): Promise<void> {
    const response = await harness.send.action(payload);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  }

  /** Clicks, then waits for the answer posted to the click's response_url. */
  async function clickAndAwaitResponse(payload: Record<string, unknown>) {
    await click(payload);
    const [response] = await harness.slack.waitFor(() => {
      const found = harness.slack.responsesTo(String(payload.response_url));
      return found.length > 0 && found;
    });
    return response;
  }

  it("replaces the results with the next page", async () => {
    const first = await commandPayload("search author:Hofmann");
    const next = button(first, "next");
    const payload = blockActionPayload(harness.slack, next);
    const response = await clickAndAwaitResponse(payload);
    expect(response?.body.replace_original).toBe(true);
    expect(JSON.stringify(response?.body.blocks)).toContain("page 2 of");
    expect(button(response?.body as Payload, "previous")).toBeDefined();
  });

  it("shows BibTeX to the clicker only, leaving the shared message alone", async () => {
    const paper = await commandPayload("2305.09088");
    const payload = blockActionPayload(harness.slack, button(paper, "bibtex"));
    const response = await clickAndAwaitResponse(payload);
    expect(response?.body.response_type).toBe("ephemeral");
    expect(response?.body.replace_original).toBe(false);
    expect(JSON.stringify(response?.body.blocks)).toContain("@inproceedings");
  });

  it("shows related papers to the clicker only, leaving the shared paper alone", async () => {
    const paper = await commandPayload("2304.06061");
    const payload = blockActionPayload(harness.slack, button(paper, "related"));
    const response = await clickAndAwaitResponse(payload);
    expect(response?.body.response_type).toBe("ephemeral");
    expect(response?.body.replace_original).toBe(false);
    const blocks = JSON.stringify(response?.body.blocks);
    expect(blocks).toContain("Papers related to");
    expect(blocks).toContain("Both about:");
    expect(blocks).not.toContain("arxiv.org/abs/2304.06061");
  });

  it("replaces a random paper with another one", async () => {
    const random = await commandPayload("random");
    const payload = blockActionPayload(harness.slack, button(random, "another"));
    const response = await clickAndAwaitResponse(payload);
    expect(response?.body.replace_original).toBe(true);
    expect(JSON.stringify(response?.body.blocks)).toContain("Random paper");
  });

  it("falls back to chat.update when the click has no response_url", async () => {
    const first = await commandPayload("search author:Hofmann");
    await click(blockActionPayload(harness.slack, button(first, "next"), { responseUrl: null }));
    const [update] = await harness.slack.waitFor(() => {
      const found = harness.slack.callsTo("chat.update");
      return found.length > 0 && found;
    });
    expect(update?.args.channel).toBe("C1");
    expect(update?.args.ts).toBe("1700000000.000001");
  });

  it("tells the clicker privately when a button's value is unreadable", async () => {
    const payload = blockActionPayload(harness.slack, { action_id: "paperbot:next:0", value: "{not json" });
    const response = await clickAndAwaitResponse(payload);
    expect(response?.body.response_type).toBe("ephemeral");
    expect(response?.body.replace_original).toBe(false);
  });

  it("acks link-button clicks and does nothing else", async () => {
    const paper = await commandPayload("2305.09088");
    const link = buttons(paper).find((candidate) => candidate.url);
    expect(link).toBeDefined();
    await click(blockActionPayload(harness.slack, { action_id: link?.action_id ?? "" }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(harness.slack.answerCount()).toBe(0);
  });
});
