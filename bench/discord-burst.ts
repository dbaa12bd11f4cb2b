/**
 * `npx tsx bench/discord-burst.ts [count]`: fires `count` (default 500) interactions at once through
 * the local fake gateway at the real discord.js client and prints first-response latency percentiles.
 * Loopback only; the deadline check itself lives in test/adapters/discord/burst.test.ts.
 */
import { interact, startGatewayBot } from "../test/adapters/discord/harness.ts";
import { autocomplete, chatInput, type InteractionPayload } from "../test/fakes/discord/payloads.ts";

const count = Number(process.argv[2] ?? 500);
const bot = await startGatewayBot();
const kinds = [
  () => chatInput("search", { query: "neural networks" }),
  () => chatInput("paper", { query: "2305.09088" }),
  () => chatInput("ask", { question: "anything on lottery tickets?" }),
  () => autocomplete("paper", "query", "the"),
];
const payloads: InteractionPayload[] = Array.from({ length: count }, (_, index) =>
  (kinds[index % kinds.length] as () => InteractionPayload)(),
);
const answered = await Promise.all(payloads.map((payload) => interact(bot.fake, payload)));
const times = answered
  .map(
    (calls, index) =>
      (calls[0]?.at ?? Number.NaN) - (bot.fake.dispatchedAt.get(payloads[index]?.id ?? "") ?? 0),
  )
  .sort((a, b) => a - b);
const at = (p: number) =>
  times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]?.toFixed(0);
console.log(
  `discord burst of ${count}: p50 ${at(50)} ms, p90 ${at(90)} ms, p99 ${at(99)} ms, max ${at(100)} ms`,
);
await bot.stop();
