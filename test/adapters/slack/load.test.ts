/**
 * 500 signed slash commands at once against the real Bolt app: every one must be acked inside
 * Slack's 3-second window (a platform deadline, not a speed target) with exactly one answer.
 * Prints the latency percentiles; speed tracking belongs in bench/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandFields, type Harness, startHarness } from "./harness.ts";

const REQUESTS = 500;
const SLACK_ACK_DEADLINE_MS = 3000;
const QUERIES = [
  "search hessian",
  "2305.09088",
  "random",
  "ask which paper is about forgetting?",
  "search author:Hofmann",
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

describe("Slack slash commands under load", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => harness.close());

  it(`acks ${REQUESTS} parallel signed commands within Slack's deadline, one answer each`, async () => {
    const results = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, index) => {
        const fields = commandFields(harness.slack, QUERIES[index % QUERIES.length] ?? "random");
        const started = performance.now();
        const response = await harness.send.command(fields);
        const body = (await response.json()) as { blocks?: unknown[] };
        return {
          ms: performance.now() - started,
          status: response.status,
          answered: Array.isArray(body.blocks),
          fields,
        };
      }),
    );
    const latencies = results.map((result) => result.ms).sort((a, b) => a - b);
    const [p50, p99, max] = [percentile(latencies, 50), percentile(latencies, 99), latencies.at(-1) ?? 0];
    console.log(
      `slack load: ${REQUESTS} commands, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
    );
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(max).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    // One answer each: in the ack body, or (when the machine is slow) an empty ack plus one response_url use.
    await harness.slack.waitFor(
      () => harness.slack.responses.length === results.filter((r) => !r.answered).length,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const result of results) {
      const followUps = harness.slack.responsesTo(result.fields.response_url ?? "").length;
      expect(followUps + (result.answered ? 1 : 0)).toBe(1);
    }
    expect(harness.slack.callsTo("chat.postMessage")).toHaveLength(0);
    const inline = results.filter((result) => result.answered).length;
    console.log(`slack load: ${inline} answered in the ack, ${REQUESTS - inline} via response_url`);
  });
});
