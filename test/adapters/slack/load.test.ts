/**
 * 500 signed slash commands at once against the real Bolt app: every one must be acked inside
 * Slack's 3-second window (a platform deadline, not a speed target) with exactly one answer.
 * Prints the latency percentiles; speed tracking belongs in bench/.
 */
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandFields, type Harness, SIGNING_SECRET, startHarness } from "./harness.ts";

const REQUESTS = 500;
const SLACK_ACK_DEADLINE_MS = 3000;
const QUERIES = [
  "search hessian",
  "2305.09088",
  "random",
  "ask which paper is about forgetting?",
  "search author:Hofmann",
];

interface Timing {
  ms: number;
  status: number;
  body: string;
}

/** Sends every command at once from a worker thread, so the client does not share the server's event loop. */
function burst(endpoint: string, commands: Record<string, string>[]): Promise<Timing[]> {
  const worker = new Worker(new URL("../../fakes/slack/command-burst-worker.mjs", import.meta.url), {
    workerData: { endpoint, secret: SIGNING_SECRET, commands },
  });
  return new Promise((resolve, reject) => {
    worker.once("message", (timings: Timing[]) => {
      void worker.terminate();
      resolve(timings);
    });
    worker.once("error", reject);
  });
}

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
    const commands = Array.from({ length: REQUESTS }, (_, index) =>
      commandFields(harness.slack, QUERIES[index % QUERIES.length] ?? "random"),
    );
    const timings = await burst(`${harness.baseUrl}/slack/events`, commands);
    const results = timings.map((timing, index) => ({
      ms: timing.ms,
      status: timing.status,
      answered:
        timing.body.length > 0 && Array.isArray((JSON.parse(timing.body) as { blocks?: unknown }).blocks),
      fields: commands[index] ?? {},
    }));
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
