/** Daily posts end to end through the real discord.js client and REST against the fake Discord. */
import { afterEach, describe, expect, it } from "vitest";
import { type GatewayBot, interact, startGatewayBot } from "../adapters/discord/harness.ts";
import type { RecordedCall } from "../fakes/discord/fake-discord.ts";
import { CHANNEL_ID, chatInput, MEMBER_PERMISSIONS } from "../fakes/discord/payloads.ts";
import { bundledIndex } from "../fixtures/corpus.ts";
import { DailyProcess } from "./e2e-process.ts";
import { flush } from "./helpers.ts";

const MANAGER_PERMISSIONS = String(BigInt(MEMBER_PERMISSIONS) | (1n << 4n));

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function setup(start: string): Promise<{ bot: GatewayBot; daily: DailyProcess }> {
  const papers = await bundledIndex();
  const daily = new DailyProcess(start, () => papers);
  const bot = await startGatewayBot({ deps: { daily: daily.control } });
  // Discord's nonce window runs on the same (test) time as the daily posts.
  bot.fake.now = () => daily.line.now;
  cleanup.push(
    () => bot.stop(),
    () => daily.close(),
  );
  daily.attach("discord", bot.handle);
  await daily.start();
  return { bot, daily };
}

/** Runs /daily through a real interaction and returns everything the bot answered, as text. */
async function command(
  bot: GatewayBot,
  values: Record<string, string>,
  permissions: string,
): Promise<string> {
  const payload = chatInput("daily", values, { permissions });
  await interact(bot.fake, payload);
  const calls = await bot.fake.waitFor(() => {
    const all = bot.fake.callsFor(payload);
    const answered = all.some((call) =>
      JSON.stringify(call.body ?? "").match(/Daily|daily|Today|permission|manage/),
    );
    return answered ? all : undefined;
  });
  return JSON.stringify(calls.map((call) => call.body));
}

function channelPosts(bot: GatewayBot): RecordedCall[] {
  return bot.fake.callsTo(new RegExp(`^/channels/${CHANNEL_ID}/messages$`), "POST");
}

/** What the channel holds, as GET /channels/{id}/messages would list it. */
function channelMessages(bot: GatewayBot): Record<string, unknown>[] {
  return bot.fake.messagesIn(CHANNEL_ID);
}

/** The 09:00 post reaches Discord, then the process dies before it hears back. */
async function crashMidSend(bot: GatewayBot, daily: DailyProcess): Promise<void> {
  daily.dieAfterNextSend = true;
  daily.line.now = Date.parse("2024-05-01T09:00:00Z");
  void daily.service.tick();
  await bot.fake.waitFor(() => channelMessages(bot).length === 1);
  await flush();
}

function nonceOf(call: RecordedCall | undefined): string {
  return String((call?.body as { nonce?: unknown } | undefined)?.nonce);
}

describe("daily posts on Discord (real discord.js against the fake)", () => {
  it("lets only channel managers subscribe, then posts once a day across the DST change", async () => {
    const { bot, daily } = await setup("2024-03-29T12:00:00Z");
    expect(
      await command(bot, { action: "on", settings: "09:00 Europe/Zurich" }, MEMBER_PERMISSIONS),
    ).toContain("manage this channel");
    expect(
      await command(bot, { action: "on", settings: "09:00 Europe/Zurich" }, MANAGER_PERMISSIONS),
    ).toContain("Daily paper on");
    // Zurich moves to summer time on 2024-03-31: 09:00 is 08:00Z before, 07:00Z after.
    const days = [
      ["2024-03-30", "08"],
      ["2024-03-31", "07"],
      ["2024-04-01", "07"],
    ] as const;
    for (const [index, [day, hour]] of days.entries()) {
      await daily.tickAt(`${day}T0${Number(hour) - 1}:59:00Z`);
      expect(channelPosts(bot)).toHaveLength(index);
      await daily.tickAt(`${day}T${hour}:00:00Z`);
      await daily.tickAt(`${day}T${hour}:01:00Z`);
      await daily.tickAt(`${day}T21:00:00Z`);
      expect(channelPosts(bot)).toHaveLength(index + 1);
    }
    const body = channelPosts(bot)[0]?.body as {
      nonce: string;
      enforce_nonce: boolean;
      allowed_mentions: unknown;
      embeds: unknown[];
    };
    expect(body.enforce_nonce).toBe(true);
    expect(body.nonce.length).toBeLessThanOrEqual(25);
    expect(body.allowed_mentions).toMatchObject({ parse: [] });
    expect(JSON.stringify(body)).toContain("Paper of the day");
    expect(new Set(channelPosts(bot).map(nonceOf)).size).toBe(3);
  });

  it.each([
    ["within Discord's nonce window", 2 * 60_000],
    ["long past Discord's nonce window", 3 * 60 * 60_000],
  ])("keeps exactly one message after a crash mid-send and a restart %s", async (_when, downMs) => {
    const { bot, daily } = await setup("2024-05-01T06:00:00Z");
    await command(bot, { action: "on", settings: "09:00 UTC" }, MANAGER_PERMISSIONS);
    await crashMidSend(bot, daily);
    await daily.crashAndRestart(downMs);
    await daily.service.tick();
    await daily.tickAt("2024-05-01T14:00:00Z");
    await daily.tickAt("2024-05-01T20:00:00Z");
    expect(channelMessages(bot)).toHaveLength(1);
    expect(channelPosts(bot)).toHaveLength(1);
    expect(await command(bot, { action: "status" }, MEMBER_PERMISSIONS)).toContain(
      "Today (2024-05-01): posted",
    );
    await daily.tickAt("2024-05-02T09:00:00Z");
    expect(channelMessages(bot)).toHaveLength(2);
    expect(new Set(channelPosts(bot).map(nonceOf)).size).toBe(2);
  });

  it("never posts again while the channel cannot be read, and confirms the post once it can", async () => {
    const { bot, daily } = await setup("2024-05-01T06:00:00Z");
    await command(bot, { action: "on", settings: "09:00 UTC" }, MANAGER_PERMISSIONS);
    await crashMidSend(bot, daily);
    bot.fake.channelFailures.set(CHANNEL_ID, 403);
    await daily.crashAndRestart(60 * 60_000);
    for (let minute = 0; minute <= 60; minute += 5) {
      daily.line.now += 5 * 60_000;
      await daily.service.tick();
    }
    expect(channelPosts(bot)).toHaveLength(1);
    expect(await command(bot, { action: "status" }, MEMBER_PERMISSIONS)).toMatch(
      /Today \(2024-05-01\): failed[^"]*Missing Access/,
    );
    bot.fake.channelFailures.delete(CHANNEL_ID);
    await command(bot, { action: "now" }, MANAGER_PERMISSIONS);
    await daily.service.tick();
    expect(channelPosts(bot)).toHaveLength(1);
    expect(channelMessages(bot)).toHaveLength(1);
    expect(await command(bot, { action: "status" }, MEMBER_PERMISSIONS)).toContain(
      "Today (2024-05-01): posted",
    );
  });

  it("posts today's paper at once with /daily now, and not again at the scheduled time", async () => {
    const { bot, daily } = await setup("2024-05-01T06:00:00Z");
    await command(bot, { action: "on", settings: "09:00 UTC" }, MANAGER_PERMISSIONS);
    expect(await command(bot, { action: "now" }, MANAGER_PERMISSIONS)).toContain("posted");
    expect(channelPosts(bot)).toHaveLength(1);
    await daily.tickAt("2024-05-01T09:00:00Z");
    expect(channelPosts(bot)).toHaveLength(1);
    expect(await command(bot, { action: "status" }, MEMBER_PERMISSIONS)).toContain(
      "Today (2024-05-01): posted",
    );
  });
});
