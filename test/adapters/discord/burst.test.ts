/**
 * Deadline compliance under a burst: 500 interactions dispatched at once over the fake gateway must
 * all get their first response within Discord's 3 s, and deferred ones all get their edit (webhook
 * edits are not held by discord.js' 50 req/s global limiter on our interaction REST path).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERACTION_DEADLINE_MS } from "../../../src/adapters/discord/limits.ts";
import { messageReply } from "../../../src/core/reply.ts";
import { autocomplete, chatInput, type InteractionPayload } from "../../fakes/discord/payloads.ts";
import { type GatewayBot, startGatewayBot } from "./harness.ts";

const BURST = 500;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

describe("interaction bursts", () => {
  let bot: GatewayBot;
  let releaseDaily: () => void = () => {};
  const dailyGate = new Promise<void>((resolve) => {
    releaseDaily = resolve;
  });

  beforeAll(async () => {
    bot = await startGatewayBot({
      deps: {
        daily: {
          handle: async () => {
            await dailyGate;
            return messageReply("daily status");
          },
        },
      },
    });
  });
  afterAll(async () => bot?.stop());

  function firstResponseTimes(payloads: InteractionPayload[]): Promise<number[]> {
    const { fake } = bot;
    return fake.waitFor(
      () => {
        const times: number[] = [];
        for (const payload of payloads) {
          const first = fake.callsFor(payload)[0];
          if (!first) return undefined;
          times.push(first.at - (fake.dispatchedAt.get(payload.id) ?? Number.NaN));
        }
        return times;
      },
      15_000,
      `first responses to ${payloads.length} interactions`,
    );
  }

  it(`answers ${BURST} concurrent interactions, every one within the 3 s deadline`, async () => {
    const kinds = [
      () => chatInput("search", { query: "neural networks" }),
      () => chatInput("paper", { query: "2305.09088" }),
      () => chatInput("random", {}),
      () => chatInput("ask", { question: "anything on lottery tickets?" }),
      () => autocomplete("paper", "query", "the"),
    ];
    const payloads = Array.from({ length: BURST }, (_, index) =>
      (kinds[index % kinds.length] as () => InteractionPayload)(),
    );
    for (const payload of payloads) bot.fake.dispatch("INTERACTION_CREATE", payload, payload.guild_id);
    const times = await firstResponseTimes(payloads);
    const p99 = percentile(times, 99);
    console.info(
      `discord burst: ${BURST} direct answers, p50 ${percentile(times, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
    );
    expect(times).toHaveLength(BURST);
    expect(Math.max(...times)).toBeLessThan(INTERACTION_DEADLINE_MS);
    // Ready-in-milliseconds answers are one call each (no defer + edit).
    for (const payload of payloads) expect(bot.fake.callsFor(payload)).toHaveLength(1);
  });

  it(`defers ${BURST} slow interactions within the deadline and delivers all ${BURST} edits`, async () => {
    const payloads = Array.from({ length: BURST }, () => chatInput("daily", { action: "status" }));
    for (const payload of payloads) bot.fake.dispatch("INTERACTION_CREATE", payload, payload.guild_id);
    const times = await firstResponseTimes(payloads);
    console.info(`discord burst: ${BURST} deferrals, p99 ${percentile(times, 99).toFixed(0)} ms`);
    expect(Math.max(...times)).toBeLessThan(INTERACTION_DEADLINE_MS);
    for (const payload of payloads)
      expect(bot.fake.callsFor(payload)[0]?.body).toEqual({ type: 5, data: {} });

    const released = performance.now();
    releaseDaily();
    const edits = await bot.fake.waitFor(
      () => {
        const all = payloads.map((payload) => bot.fake.callsFor(payload)[1]);
        return all.every(Boolean) ? all : undefined;
      },
      15_000,
      "all edits",
    );
    const lastEdit = Math.max(...edits.map((edit) => (edit?.at ?? 0) - released));
    console.info(`discord burst: ${BURST} edits delivered ${lastEdit.toFixed(0)} ms after the work finished`);
    for (const edit of edits) expect(edit?.method).toBe("PATCH");
    // Through a 50 req/s global limiter, 500 edits would need about 10 s.
    expect(lastEdit).toBeLessThan(5000);
  });
});
