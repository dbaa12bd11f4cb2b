import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertWithinSlackLimits } from "../../fakes/slack/assert-within-slack-limits.ts";
import { commandFields, type Harness, startHarness } from "./harness.ts";

interface CommandResponse {
  response_type?: string;
  text?: string;
  blocks?: {
    type: string;
    text?: { text: string };
    elements?: { action_id: string; value?: string; url?: string }[];
  }[];
}

async function command(harness: Harness, text: string, name = "/paper"): Promise<CommandResponse> {
  const response = await harness.send.command(commandFields(harness.slack, text, name));
  expect(response.status).toBe(200);
  const body = (await response.json()) as CommandResponse;
  assertWithinSlackLimits(body);
  return body;
}

function allText(body: CommandResponse): string {
  return JSON.stringify(body.blocks ?? []);
}

describe("Slack slash commands over signed HTTP", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ config: { commandNames: { paper: "/paper", search: "/papersearch" } } });
  });
  afterAll(async () => harness.close());

  it("shows a paper by arXiv id, pasted as a Slack link, in the channel", async () => {
    const body = await command(harness, "<https://arxiv.org/abs/2305.09088v1>");
    expect(body.response_type).toBe("in_channel");
    expect(body.blocks?.[0]?.type).toBe("header");
    expect(allText(body)).toContain("Hessian");
    const buttons = body.blocks?.find((block) => block.type === "actions")?.elements ?? [];
    expect(buttons.map((button) => button.url).filter(Boolean)).toContain("https://arxiv.org/abs/2305.09088");
    expect(buttons.some((button) => button.action_id.startsWith("paperbot:bibtex"))).toBe(true);
  });

  it("runs search as a sub-command of /paper", async () => {
    const body = await command(harness, "search hessian rank");
    expect(body.response_type).toBe("in_channel");
    expect(allText(body)).toContain("Results for");
    expect(allText(body)).toContain("2305.09088");
  });

  it("runs a separately configured search command", async () => {
    const body = await command(harness, "hessian", "/papersearch");
    expect(allText(body)).toContain("2305.09088");
  });

  it("picks a random paper with /paper random", async () => {
    const body = await command(harness, "random");
    expect(allText(body)).toContain("Random paper");
    const buttons = body.blocks?.find((block) => block.type === "actions")?.elements ?? [];
    expect(buttons.some((button) => button.action_id.startsWith("paperbot:another"))).toBe(true);
  });

  it("answers a question with /paper ask", async () => {
    const body = await command(harness, "ask which paper is about forgetting in continual learning?");
    expect(allText(body)).toContain("Answers to");
    expect(allText(body)).toContain("2303.09483");
  });

  it("explains that daily posts are unavailable without the daily service, privately", async () => {
    const body = await command(harness, "daily status");
    expect(body.response_type).toBe("ephemeral");
    expect(allText(body)).toContain("Daily posts are not available");
  });

  it("lists every command with its Slack name in /paper help, privately", async () => {
    const body = await command(harness, "help");
    expect(body.response_type).toBe("ephemeral");
    const text = allText(body);
    for (const expected of ["/paper search", "/paper random", "/paper ask", "/paper daily", "/papersearch"]) {
      expect(text).toContain(expected);
    }
  });

  it("shows help for a bare /paper", async () => {
    const body = await command(harness, "");
    expect(body.response_type).toBe("ephemeral");
    expect(allText(body)).toContain("/paper search");
  });

  it("tells only the asker when nothing matches", async () => {
    const body = await command(harness, "9999.99999");
    expect(body.response_type).toBe("ephemeral");
  });

  it("answers inline, so no response_url use is needed", async () => {
    const before = harness.slack.responses.length;
    await command(harness, "search forgetting");
    expect(harness.slack.responses.length).toBe(before);
  });

  it.each([
    ["a channel ping", "search <!channel> hessian"],
    ["a user mention", "search <@U123> hessian"],
    ["a forged link", "search <https://evil.example|click here> &amp; *bold* `code`"],
    ["a 4,000-character query", `search ${"hessian &lt;b&gt; ".repeat(250)}`],
    ["a 4,000-character paper lookup", "x".repeat(4000)],
    ["an ask full of mrkdwn", `ask ${"*_~`&gt;".repeat(600)}`],
  ])("keeps %s escaped and within limits", async (_name, text) => {
    const body = await command(harness, text);
    const shown = JSON.stringify(body, (key, value) => (key === "value" ? undefined : value));
    expect(shown).not.toMatch(/<!channel|<@U123|<https:\/\/evil/);
  });

  it("serves a health check", async () => {
    const response = await fetch(`${harness.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, papers: harness.papers.size });
  });
});
