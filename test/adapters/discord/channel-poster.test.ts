/** Daily posts on Discord: the real discord.js REST client against the fake's channel messages. */
import { type APIMessage, REST } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createChannelPoster,
  PostLookupError,
  postMarker,
  WAS_POSTED_LOOKBACK,
} from "../../../src/adapters/discord/channel-poster.ts";
import { CustomIdCodec } from "../../../src/adapters/discord/custom-id.ts";
import { createInteractionHandler } from "../../../src/adapters/discord/interaction-handler.ts";
import { createSingleAttemptRest } from "../../../src/adapters/discord/single-attempt-rest.ts";
import type { ChannelPoster } from "../../../src/core/daily-control.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import type { PaperReply } from "../../../src/core/reply.ts";
import { dailyReply } from "../../../src/daily/daily-post.ts";
import { FAKE_BOT_USER_ID, FakeDiscord, NONCE_WINDOW_MS } from "../../fakes/discord/fake-discord.ts";
import { ALICE, BOB, buttonClick, CHANNEL_ID } from "../../fakes/discord/payloads.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { openTempKeys, type TempKeys } from "../temp-keys.ts";

const OTHER_CHANNEL = "1200000000000000009";
const KEY = "pb-20240501-a1b2c3";
const NEXT_DAY_KEY = "pb-20240502-a1b2c3";
const UINT64_LIMIT = 2n ** 64n;

let fake: FakeDiscord;
let rest: REST;
let buttons: CustomIdCodec;
let poster: ChannelPoster;
let reply: PaperReply;
let time: number;
let keys: TempKeys;

beforeEach(async () => {
  keys = openTempKeys();
  fake = await new FakeDiscord().start();
  time = Date.parse("2024-05-01T09:00:00Z");
  fake.now = () => time;
  rest = createSingleAttemptRest(fake.apiUrl).setToken("test-token");
  buttons = new CustomIdCodec(keys.keys);
  poster = createChannelPoster({ send: rest, read: rest }, buttons);
  const [paper] = (await bundledIndex()).all();
  if (!paper) throw new Error("the bundled corpus is empty");
  reply = dailyReply(paper, "");
});

afterEach(async () => {
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
  await fake.stop();
  await keys.close();
});

function customIds(message: Record<string, unknown>): string[] {
  return ((message as unknown as APIMessage).components ?? []).flatMap((row) =>
    "components" in row
      ? row.components.flatMap((component) => ("custom_id" in component ? [component.custom_id] : []))
      : [],
  );
}

describe("Discord channel poster", () => {
  it("finds its own earlier post by key, and nothing for another day or channel", async () => {
    expect(await poster.wasPosted(CHANNEL_ID, KEY)).toBe(false);
    await poster.post(CHANNEL_ID, reply, { idempotencyKey: KEY });
    expect(await poster.wasPosted(CHANNEL_ID, KEY)).toBe(true);
    expect(await poster.wasPosted(CHANNEL_ID, NEXT_DAY_KEY)).toBe(false);
    expect(await poster.wasPosted(OTHER_CHANNEL, KEY)).toBe(false);
    const lookups = fake.callsTo(new RegExp(`^/channels/${CHANNEL_ID}/messages$`), "GET");
    expect(lookups.map((call) => call.search)).toEqual(["?limit=50", "?limit=50", "?limit=50"]);
  });

  it("finds the post after the nonce window, when fetched messages no longer carry the nonce", async () => {
    await poster.post(CHANNEL_ID, reply, { idempotencyKey: KEY });
    time += 6 * 60 * 60_000;
    fake.addMessage(CHANNEL_ID, { content: "morning", author: { id: ALICE, username: "alice" } });
    const fetched = fake.messagesIn(CHANNEL_ID);
    expect(fetched.some((message) => "nonce" in message)).toBe(false);
    expect(
      await createChannelPoster({ send: rest, read: rest }, new CustomIdCodec(keys.keys)).wasPosted(
        CHANNEL_ID,
        KEY,
      ),
    ).toBe(true);
  });

  it("ignores a look-alike message by another author", async () => {
    await poster.post(CHANNEL_ID, reply, { idempotencyKey: KEY });
    const [posted] = fake.messagesIn(CHANNEL_ID);
    const copy = { components: posted?.components, author: { id: BOB, username: "bob", bot: true } };
    fake.addMessage(OTHER_CHANNEL, copy);
    expect(await poster.wasPosted(CHANNEL_ID, KEY)).toBe(true);
    expect(await poster.wasPosted(OTHER_CHANNEL, KEY)).toBe(false);
  });

  it(`looks back over the channel's newest ${WAS_POSTED_LOOKBACK} messages`, async () => {
    await poster.post(CHANNEL_ID, reply, { idempotencyKey: KEY });
    for (let i = 0; i < WAS_POSTED_LOOKBACK - 1; i++)
      fake.addMessage(CHANNEL_ID, { content: `chat ${i}`, author: { id: ALICE, username: "alice" } });
    expect(await poster.wasPosted(CHANNEL_ID, KEY)).toBe(true);
    fake.addMessage(CHANNEL_ID, { content: "one more", author: { id: ALICE, username: "alice" } });
    expect(await poster.wasPosted(CHANNEL_ID, KEY)).toBe(false);
  });

  it.each([
    [403, /Missing Access.*HTTP 403/],
    [404, /Unknown Channel.*HTTP 404/],
  ] as const)("throws instead of answering false when the channel answers %i", async (status, message) => {
    await poster.post(CHANNEL_ID, reply, { idempotencyKey: KEY });
    fake.channelFailures.set(CHANNEL_ID, status);
    const lookup = poster.wasPosted(CHANNEL_ID, KEY);
    await expect(lookup).rejects.toBeInstanceOf(PostLookupError);
    await expect(lookup).rejects.toThrow(message);
  });

  it("throws when it cannot learn the bot's own user id", async () => {
    const offline = new REST({ api: "http://127.0.0.1:9/api", retries: 0, timeout: 2000 }).setToken("t");
    await expect(
      createChannelPoster({ send: offline, read: offline }, buttons).wasPosted(CHANNEL_ID, KEY),
    ).rejects.toBeInstanceOf(PostLookupError);
    offline.clearHashSweeper();
    offline.clearHandlerSweeper();
  });

  it("keeps the buttons working: same invocations, short ids, owned by no possible user", async () => {
    await poster.post(CHANNEL_ID, reply, { idempotencyKey: KEY });
    const [posted] = fake.messagesIn(CHANNEL_ID);
    const ids = customIds(posted ?? {});
    expect(ids).toHaveLength(reply.actions.length);
    for (const [index, id] of ids.entries()) {
      expect(id.length).toBeLessThanOrEqual(100);
      const decoded = await new CustomIdCodec(keys.keys).decode(id);
      expect(decoded).toMatchObject({ ok: true, state: { invocation: reply.actions[index]?.invoke } });
      if (decoded.ok) {
        expect(decoded.state.ownerId).toBe(postMarker(KEY));
        expect(BigInt(decoded.state.ownerId) >= UINT64_LIMIT).toBe(true);
      }
    }
    // A click, even by whoever ran /daily, gets a private copy and leaves the channel post alone.
    const responses: unknown[] = [];
    const papers = await bundledIndex();
    const handler = createInteractionHandler({
      deps: { getPapers: () => papers, logger: SILENT_LOGGER, keys: keys.keys },
      buttons,
    });
    const abstract = ids[reply.actions.findIndex((action) => action.kind === "abstract")] ?? "";
    await handler(buttonClick(abstract, { userId: ALICE }) as never, {
      respond: async (body) => void responses.push(body),
      editOriginal: async () => {},
      deleteOriginal: async () => {},
      followUp: async () => {},
    });
    expect(responses).toMatchObject([{ type: 4, data: { flags: 64 } }]);
  });

  it("gets the first message back for a repeated nonce within Discord's window, a new one after", async () => {
    const first = await poster.post(CHANNEL_ID, reply, { idempotencyKey: KEY });
    time += NONCE_WINDOW_MS - 1;
    const again = await poster.post(CHANNEL_ID, reply, { idempotencyKey: KEY });
    expect(again.messageId).toBe(first.messageId);
    expect(fake.messagesIn(CHANNEL_ID)).toHaveLength(1);
    time += 1;
    const late = await poster.post(CHANNEL_ID, reply, { idempotencyKey: KEY });
    expect(late.messageId).not.toBe(first.messageId);
    expect(fake.messagesIn(CHANNEL_ID)).toHaveLength(2);
    const authors = fake.messagesIn(CHANNEL_ID).map((message) => (message.author as { id?: string }).id);
    expect(authors).toEqual([FAKE_BOT_USER_ID, FAKE_BOT_USER_ID]);
  });

  it("fails without resending when Discord stores the post but never answers, and wasPosted finds it", async () => {
    const impatient = createSingleAttemptRest(fake.apiUrl, { timeout: 300 }).setToken("test-token");
    const messages = new RegExp(`^/channels/${CHANNEL_ID}/messages$`);
    fake.failNextAnswer("POST", messages, "hang");
    const sending = createChannelPoster({ send: impatient, read: rest }, buttons);
    await expect(sending.post(CHANNEL_ID, reply, { idempotencyKey: KEY })).rejects.toThrow(/abort/i);
    expect(fake.callsTo(messages, "POST")).toHaveLength(1);
    expect(fake.messagesIn(CHANNEL_ID)).toHaveLength(1);
    expect(await poster.wasPosted(CHANNEL_ID, KEY)).toBe(true);
    impatient.clearHashSweeper();
    impatient.clearHandlerSweeper();
  });
});
