import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../../src/core/logger.ts";
import { commandFields, type Harness, startHarness } from "./harness.ts";

interface CommandResponse {
  response_type?: string;
  text?: string;
  blocks?: unknown[];
}

/** Collects warnings and errors: a missing or a second ack shows up as one of these. */
function recordingLogger(): Logger & { problems: string[] } {
  const problems: string[] = [];
  const note = (message: string, detail?: unknown) => {
    problems.push(`${message} ${detail instanceof Error ? detail.message : String(detail ?? "")}`);
  };
  return { problems, debug: () => {}, info: () => {}, warn: note, error: note };
}

async function command(harness: Harness, text: string, name: string): Promise<CommandResponse> {
  // Slack gives up after 3 s; an unacked command would only come back after Bolt's own timeout.
  const started = Date.now();
  const response = await harness.send.command(commandFields(harness.slack, text, name));
  const elapsed = Date.now() - started;
  expect(response.status).toBe(200);
  expect(elapsed).toBeLessThan(2500);
  return (await response.json()) as CommandResponse;
}

describe("Slack slash commands the bot does not know", () => {
  const logger = recordingLogger();
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      config: { commandNames: { paper: "/paper", random: "/paperrandom" } },
      deps: { logger },
    });
  });
  afterAll(async () => harness.close());
  beforeEach(() => {
    logger.problems.length = 0;
  });

  it("answers an unmapped /papersearch at once, privately, naming SLACK_COMMAND_SEARCH", async () => {
    const before = harness.slack.responses.length;
    const body = await command(harness, "hessian", "/papersearch");
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("/papersearch");
    expect(body.text).toContain("SLACK_COMMAND_SEARCH=/papersearch");
    expect(body.text).toContain("/paper search");
    expect(harness.slack.responses.length).toBe(before);
    expect(logger.problems).toEqual([]);
  });

  it("lists every variable for an unmapped name that hints at no sub-command", async () => {
    const body = await command(harness, "", "/pb");
    expect(body.response_type).toBe("ephemeral");
    for (const variable of ["PAPER", "SEARCH", "RANDOM", "ASK", "DAILY"]) {
      expect(body.text).toContain(`SLACK_COMMAND_${variable}`);
    }
    expect(body.text).toContain("/paper search");
    expect(logger.problems).toEqual([]);
  });

  it("still answers mapped commands once, with no hint", async () => {
    const before = harness.slack.responses.length;
    const paper = await command(harness, "search hessian", "/paper");
    expect(JSON.stringify(paper)).toContain("2305.09088");
    expect(JSON.stringify(paper)).not.toContain("SLACK_COMMAND");
    const random = await command(harness, "", "/paperrandom");
    expect(JSON.stringify(random)).toContain("Random paper");
    expect(JSON.stringify(random)).not.toContain("SLACK_COMMAND");
    // A second ack would be refused and logged; a follow-up would show up as a response.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(harness.slack.responses.length).toBe(before);
    expect(logger.problems).toEqual([]);
  });
});
