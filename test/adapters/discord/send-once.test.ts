/**
 * Discord may store a channel message and then lose the answer (a 5xx, or silence past the client's
 * timeout). The real discord.js REST client would resend it on its own, posting it twice inside one
 * call; the bot must send each message once and let the caller decide: the daily engine retries
 * only after `wasPosted` says no, and a mention reply is not retried. Real clients, fake Discord.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDiscordHttp } from "../../../src/adapters/discord/http.ts";
import { createLogger } from "../../../src/core/logger.ts";
import type { PaperReply } from "../../../src/core/reply.ts";
import { dailyReply } from "../../../src/daily/daily-post.ts";
import { FAKE_APPLICATION_ID, FAKE_BOT_USER_ID, FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { GUILD_ID, messageCreate } from "../../fakes/discord/payloads.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { openTempKeys } from "../temp-keys.ts";
import { type GatewayBot, startGatewayBot } from "./harness.ts";

const DAILY_CHANNEL = "1200000000000000011";
const HTTP_DAILY_CHANNEL = "1200000000000000012";
const MENTION_CHANNEL = "1200000000000000013";
const KEY = "pb-20240501-a1b2c3";

const messagesPath = (channelId: string) => new RegExp(`^/channels/${channelId}/messages$`);

let reply: PaperReply;
beforeAll(async () => {
  const [paper] = (await bundledIndex()).all();
  if (!paper) throw new Error("the bundled corpus is empty");
  reply = dailyReply(paper, "");
});

describe("gateway mode: a channel message stored by Discord whose answer is lost", () => {
  let bot: GatewayBot;
  const warnings: string[] = [];

  beforeAll(async () => {
    const logger = createLogger("warn", (line) => void warnings.push(line));
    bot = await startGatewayBot({ config: { mentions: true }, deps: { logger } });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it("makes a daily post fail instead of resending it, and wasPosted then finds it", async () => {
    const { fake, handle } = bot;
    fake.failNextAnswer("POST", messagesPath(DAILY_CHANNEL), { status: 500 });
    await expect(handle.post(DAILY_CHANNEL, reply, { idempotencyKey: KEY })).rejects.toMatchObject({
      status: 500,
    });
    expect(fake.callsTo(messagesPath(DAILY_CHANNEL), "POST")).toHaveLength(1);
    expect(fake.messagesIn(DAILY_CHANNEL)).toHaveLength(1);
    expect(await handle.wasPosted(DAILY_CHANNEL, KEY)).toBe(true);
  });

  it("answers a mention with one message", async () => {
    const { fake } = bot;
    const mention = {
      ...messageCreate(`<@${FAKE_BOT_USER_ID}> anything on lottery tickets?`, { mentionBot: true }),
      channel_id: MENTION_CHANNEL,
    };
    fake.failNextAnswer("POST", messagesPath(MENTION_CHANNEL), { status: 500 });
    fake.dispatch("MESSAGE_CREATE", mention, GUILD_ID);
    // Done when the handler gave up on the lost answer (a warning), or when it sent the reply again.
    await fake.waitFor(
      () =>
        warnings.some((line) => line.includes(`could not reply to message ${mention.id}`)) ||
        fake.callsTo(messagesPath(MENTION_CHANNEL), "POST").length > 1,
      5000,
      "the mention reply to finish",
    );
    expect(fake.messagesIn(MENTION_CHANNEL)).toHaveLength(1);
    // Should it ever be sent again, Discord would hand back this first one.
    const [sent] = fake.callsTo(messagesPath(MENTION_CHANNEL), "POST");
    expect(sent?.body).toMatchObject({ nonce: mention.id, enforce_nonce: true });
  });
});

describe("HTTP interactions mode: a daily post stored by Discord whose answer is lost", () => {
  it("fails instead of resending, and wasPosted then finds it", async () => {
    const fake = await new FakeDiscord().start();
    const publicKey = generateKeyPairSync("ed25519")
      .publicKey.export({ format: "der", type: "spki" })
      .subarray(-32)
      .toString("hex");
    const index = await bundledIndex();
    const keys = openTempKeys();
    const handle = await startDiscordHttp(
      { getPapers: () => index, logger: createLogger("silent"), keys: keys.keys },
      { publicKey, token: "test-token", applicationId: FAKE_APPLICATION_ID, apiUrl: fake.apiUrl },
      0,
      { host: "127.0.0.1" },
    );
    try {
      fake.failNextAnswer("POST", messagesPath(HTTP_DAILY_CHANNEL), { status: 502 });
      await expect(handle.post(HTTP_DAILY_CHANNEL, reply, { idempotencyKey: KEY })).rejects.toMatchObject({
        status: 502,
      });
      expect(fake.callsTo(messagesPath(HTTP_DAILY_CHANNEL), "POST")).toHaveLength(1);
      expect(fake.messagesIn(HTTP_DAILY_CHANNEL)).toHaveLength(1);
      expect(await handle.wasPosted(HTTP_DAILY_CHANNEL, KEY)).toBe(true);
    } finally {
      await handle.stop();
      await fake.stop();
      await keys.close();
    }
  });
});
