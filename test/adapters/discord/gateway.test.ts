/**
 * End to end over loopback: the real discord.js Client connects to the fake gateway, receives
 * INTERACTION_CREATE / MESSAGE_CREATE dispatches, and the test reads the REST calls it makes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDiscordGateway } from "../../../src/adapters/discord/gateway.ts";
import { BUTTON_EXPIRED, BUTTON_UNKNOWN } from "../../../src/adapters/discord/interaction-handler.ts";
import type { DiscordHandle } from "../../../src/adapters/discord/types.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import { messageReply } from "../../../src/core/reply.ts";
import {
  FAKE_APPLICATION_ID,
  FAKE_BOT_USER_ID,
  FakeDiscord,
  type RecordedCall,
} from "../../fakes/discord/fake-discord.ts";
import {
  ALICE,
  autocomplete,
  BOB,
  buttonClick,
  CHANNEL_ID,
  chatInput,
  messageCreate,
} from "../../fakes/discord/payloads.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { openTempKeys, type TempKeys } from "../temp-keys.ts";
import { assertWithinDiscordLimits } from "./discord-limits-check.ts";
import { type GatewayBot, interact, startGatewayBot } from "./harness.ts";

interface Callback {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    embeds?: {
      title?: string;
      url?: string;
      description?: string;
      fields?: { name: string; value: string }[];
    }[];
    components?: { components: { label: string; custom_id: string }[] }[];
    choices?: { name: string; value: string }[];
  };
}

function callback(calls: RecordedCall[]): Callback {
  const call = calls.find((candidate) => candidate.path.endsWith("/callback"));
  if (!call) throw new Error("no interaction callback");
  assertWithinDiscordLimits(call.body);
  return call.body as Callback;
}

function button(reply: Callback, label: string): string {
  const found = reply.data?.components
    ?.flatMap((row) => row.components)
    .find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no "${label}" button`);
  return found.custom_id;
}

describe("Discord gateway adapter", () => {
  let bot: GatewayBot;
  const dailyCalls: string[] = [];
  let releaseDaily: () => void = () => {};

  beforeAll(async () => {
    bot = await startGatewayBot({
      config: { mentions: true },
      deps: {
        // A slow dependency: daily waits until the test releases it, to exercise defer + edit.
        daily: {
          handle: async (_channel, text) => {
            dailyCalls.push(text);
            await new Promise<void>((resolve) => {
              releaseDaily = resolve;
            });
            return messageReply(`Daily ${text} done`);
          },
        },
      },
    });
  });
  afterAll(async () => bot?.stop());

  it("identifies with the token and the Guilds and message intents only", () => {
    const session = bot.fake.sessions[0];
    expect(session?.token).toBe("test-token");
    // Guilds (1) + GuildMessages (512) + DirectMessages (4096); never MessageContent (32768).
    expect(session?.intents).toBe(1 | 512 | 4096);
  });

  it("answers /paper with one callback: an embed linking to arXiv with authors, venue, links and buttons", async () => {
    const reply = callback(await interact(bot.fake, chatInput("paper", { query: "arXiv:2305.09088v1" })));
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBeUndefined();
    const embed = reply.data?.embeds?.[0];
    expect(embed?.title).toContain("Hessian perspective");
    expect(embed?.url).toBe("https://arxiv.org/abs/2305.09088");
    const fields = Object.fromEntries((embed?.fields ?? []).map((field) => [field.name, field.value]));
    expect(fields.Authors).toContain("Sidak Pal Singh");
    expect(fields.Published).toContain("ICML 2023");
    expect(fields.Links).toContain("[PDF](https://arxiv.org/pdf/2305.09088)");
    expect(embed?.description?.length).toBeGreaterThan(100);
    expect(button(reply, "BibTeX").length).toBeLessThanOrEqual(100);
  });

  it("lists /search results with snippets and pages with Next, updating the message in place", async () => {
    const first = callback(await interact(bot.fake, chatInput("search", { query: "neural" })));
    expect(first.data?.embeds?.[0]?.description).toContain("**1.**");
    expect(first.data?.embeds?.[0]?.description).toMatch(/\*\*neural\*\*/i);
    const next = callback(
      await interact(bot.fake, buttonClick(button(first, "Next page"), { ownerId: ALICE })),
    );
    expect(next.type).toBe(7);
    expect(next.data?.embeds?.[0]?.description).toContain("**6.**");
    expect(next.data?.content).toBe("");
    expect(() => button(next, "Previous")).not.toThrow();
  });

  it("gives someone else's click a private copy instead of changing the message", async () => {
    const first = callback(await interact(bot.fake, chatInput("search", { query: "neural" })));
    const click = buttonClick(button(first, "Next page"), { userId: BOB, ownerId: ALICE });
    const copy = callback(await interact(bot.fake, click));
    expect(copy.type).toBe(4);
    expect(copy.data?.flags).toBe(64);
    expect(copy.data?.embeds?.[0]?.description).toContain("**6.**");
    // The copy's buttons are Bob's: his clicks update his copy.
    const bobsNext = callback(
      await interact(bot.fake, buttonClick(button(copy, "Previous"), { userId: BOB, ownerId: BOB })),
    );
    expect(bobsNext.type).toBe(7);
  });

  it("switches a paper to BibTeX and back with the buttons", async () => {
    const paper = callback(await interact(bot.fake, chatInput("paper", { query: "2305.09088" })));
    const bibtex = callback(await interact(bot.fake, buttonClick(button(paper, "BibTeX"))));
    expect(bibtex.type).toBe(7);
    expect(bibtex.data?.embeds?.[0]?.description).toMatch(/^```bibtex\n@inproceedings\{/);
    const abstract = callback(await interact(bot.fake, buttonClick(button(bibtex, "Abstract"))));
    expect(abstract.data?.embeds?.[0]?.description).not.toContain("```");
  });

  it("shows related papers to the clicker only, leaving the paper as it was", async () => {
    const paper = callback(await interact(bot.fake, chatInput("paper", { query: "2304.06061" })));
    const related = callback(await interact(bot.fake, buttonClick(button(paper, "Related"))));
    expect(related.type).toBe(4);
    expect(related.data?.flags).toBe(64);
    expect(related.data?.embeds?.[0]?.title).toMatch(/^Related: CLIP-Guided/);
    expect(related.data?.embeds?.[0]?.description).toContain("**1.** [Decoding a Neural Retriever");
    expect(related.data?.embeds?.[0]?.description).not.toContain("2304.06061");
  });

  it("answers /related like a search, in public", async () => {
    const reply = callback(await interact(bot.fake, chatInput("related", { paper: "2302.12091" })));
    expect(reply.type).toBe(4);
    expect(reply.data?.flags ?? 0).toBe(0);
    expect(reply.data?.embeds?.[0]?.title).toMatch(/^Related: Random Teachers/);
  });

  it("offers Another on /random", async () => {
    const random = callback(await interact(bot.fake, chatInput("random", {})));
    expect(random.data?.embeds?.[0]?.title).toBeTruthy();
    const another = callback(await interact(bot.fake, buttonClick(button(random, "Another"))));
    expect(another.type).toBe(7);
  });

  it("answers /ask with papers and the sentence that answers", async () => {
    const reply = callback(
      await interact(
        bot.fake,
        chatInput("ask", { question: "anything on forgetting in continual learning?" }),
      ),
    );
    expect(reply.data?.embeds?.[0]?.title).toContain("Ask:");
    expect(reply.data?.embeds?.[0]?.description).toContain("> ");
  });

  it("shows errors and hints only to the asker", async () => {
    const reply = callback(await interact(bot.fake, chatInput("paper", { query: "9999.99999" })));
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBe(64);
    expect(reply.data?.content).toBeTruthy();
  });

  it("completes /paper query with up to 25 papers: title as name, arXiv id as value", async () => {
    const reply = callback(await interact(bot.fake, autocomplete("paper", "query", "the")));
    expect(reply.type).toBe(8);
    const choices = reply.data?.choices ?? [];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.map((choice) => choice.value)).toContain("2305.09088");
  });

  it("says a button expired when its stored state is gone, and handles foreign custom_ids", async () => {
    const expired = callback(await interact(bot.fake, buttonClick("pb1~nzzzzzzz.0")));
    expect(expired.data?.content).toBe(BUTTON_EXPIRED);
    expect(expired.data?.flags).toBe(64);
    const foreign = callback(await interact(bot.fake, buttonClick("some-other-bot:vote:42")));
    expect(foreign.data?.content).toBe(BUTTON_UNKNOWN);
    const mangled = callback(await interact(bot.fake, buttonClick("pb1.x.zz.paper..q.2305")));
    expect(mangled.data?.content).toBe(BUTTON_UNKNOWN);
  });

  it("keeps buttons of a query too long for a custom_id working through the stored state", async () => {
    const query = "neural ".repeat(35).trim();
    const first = callback(await interact(bot.fake, chatInput("search", { query })));
    const next = button(first, "Next page");
    expect(next.startsWith("pb1~")).toBe(true);
    const page2 = callback(await interact(bot.fake, buttonClick(next)));
    expect(page2.type).toBe(7);
    expect(page2.data?.embeds?.[0]?.description).toContain("**6.**");
  });

  it("answers a 6,000-character query privately, within limits", async () => {
    const reply = callback(
      await interact(bot.fake, chatInput("search", { query: `neural ${"x".repeat(5993)}` })),
    );
    expect(reply.data?.flags).toBe(64);
    expect(reply.data?.content).toMatch(/characters/);
  });

  it("defuses @everyone, role mentions and markdown in echoed text", async () => {
    const hostile = "@everyone <@&123456789012345678> **bold** [click](https://evil.example) # heading";
    const reply = callback(await interact(bot.fake, chatInput("search", { query: hostile })));
    const text = JSON.stringify(reply.data);
    expect(text).not.toContain("@everyone");
    expect(text).not.toMatch(/(?<!\\\\)<@&/);
    expect(text).not.toContain("[click](https://evil.example)");
    expect(text).not.toContain("**bold**");
  });

  it("defers slow work (type 5) and edits the original when done", async () => {
    const payload = chatInput("daily", { action: "status" });
    const [deferral] = await interact(bot.fake, payload);
    expect(deferral?.body).toEqual({ type: 5, data: {} });
    releaseDaily();
    const calls = await bot.fake.waitFor(() => {
      const all = bot.fake.callsFor(payload);
      return all.length >= 2 ? all : undefined;
    });
    expect(calls[1]?.method).toBe("PATCH");
    expect(calls[1]?.path).toMatch(/\/messages\/@original$/);
    assertWithinDiscordLimits(calls[1]?.body);
    expect((calls[1]?.body as { content: string } | undefined)?.content).toBe("Daily status done");
  });

  it("answers a mention with ask, as a reply to that message, pinging nobody", async () => {
    const mention = messageCreate(`<@${FAKE_BOT_USER_ID}> anything on lottery tickets?`, {
      mentionBot: true,
    });
    bot.fake.dispatch("MESSAGE_CREATE", mention, mention.guild_id as string);
    const sent = await bot.fake.waitFor(
      () => bot.fake.callsTo(new RegExp(`^/channels/${CHANNEL_ID}/messages$`), "POST")[0],
    );
    const body = sent.body as {
      message_reference: { message_id: string };
      allowed_mentions: unknown;
      embeds: { title: string }[];
    };
    assertWithinDiscordLimits(body);
    expect(body.message_reference.message_id).toBe(mention.id);
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.embeds[0]?.title).toContain("lottery tickets");
  });

  it("answers a mention's error publicly too, as a reply that pings nobody (Discord has no private reply to a message)", async () => {
    // The same error through a slash command stays private (ephemeral).
    const slash = callback(await interact(bot.fake, chatInput("paper", { query: "9999.99999" })));
    expect(slash.data?.flags).toBe(64);
    const mention = messageCreate(`<@${FAKE_BOT_USER_ID}> /paper 9999.99999`, { mentionBot: true });
    bot.fake.dispatch("MESSAGE_CREATE", mention, mention.guild_id as string);
    const sent = await bot.fake.waitFor(() =>
      bot.fake
        .callsTo(new RegExp(`^/channels/${CHANNEL_ID}/messages$`), "POST")
        .find(
          (call) =>
            (call.body as { message_reference?: { message_id: string } }).message_reference?.message_id ===
            mention.id,
        ),
    );
    const body = sent.body as { content?: string; flags?: number; allowed_mentions: unknown };
    assertWithinDiscordLimits(body);
    expect(body.content).toBe(slash.data?.content);
    expect(body.flags).toBeUndefined();
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it("ignores messages that do not mention it, and other bots", async () => {
    const before = bot.fake.callsTo(/^\/channels\/\d+\/messages$/).length;
    const plain = messageCreate("anything on lottery tickets?");
    const fromBot = messageCreate(`<@${FAKE_BOT_USER_ID}> hello`, { mentionBot: true, bot: true });
    bot.fake.dispatch("MESSAGE_CREATE", plain, plain.guild_id as string);
    bot.fake.dispatch("MESSAGE_CREATE", fromBot, fromBot.guild_id as string);
    // A later mention is answered; by then the two before it were processed and ignored.
    const marker = messageCreate(`<@${FAKE_BOT_USER_ID}> hessian`, { mentionBot: true });
    bot.fake.dispatch("MESSAGE_CREATE", marker, marker.guild_id as string);
    await bot.fake.waitFor(() =>
      bot.fake
        .callsTo(/^\/channels\/\d+\/messages$/)
        .find(
          (call) =>
            (call.body as { message_reference?: { message_id: string } }).message_reference?.message_id ===
            marker.id,
        ),
    );
    expect(bot.fake.callsTo(/^\/channels\/\d+\/messages$/).length).toBe(before + 1);
  });

  it("posts daily messages with a nonce of at most 25 characters and enforce_nonce", async () => {
    const { handle, fake } = bot;
    const paper = callback(await interact(fake, chatInput("paper", { query: "2305.09088" })));
    expect(paper.type).toBe(4);
    const reply = {
      kind: "message" as const,
      tone: "info" as const,
      text: "Paper of the day: @everyone",
      ephemeral: false,
    };
    const result = await handle.post(CHANNEL_ID, reply, {
      idempotencyKey: "daily:1200000000000000002:2024-05-01",
    });
    expect(result.messageId).toMatch(/^\d+$/);
    const sent = fake.callsTo(/^\/channels\/\d+\/messages$/).at(-1);
    const body = sent?.body as { nonce: string; enforce_nonce: boolean; content: string };
    assertWithinDiscordLimits(body);
    expect(body.nonce.length).toBeLessThanOrEqual(25);
    expect(body.enforce_nonce).toBe(true);
    expect(body.content).not.toContain("@everyone");
    expect(await handle.wasPosted(CHANNEL_ID, "x")).toBe(false);
  });
});

describe("Discord gateway start-up mistakes", () => {
  let fake: FakeDiscord;
  let keys: TempKeys;
  const index = bundledIndex();

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    keys = openTempKeys();
  });
  afterAll(async () => {
    await fake?.stop();
    await keys?.close();
  });

  async function start(config: { token: string; apiUrl: string }): Promise<DiscordHandle> {
    const papers = await index;
    return startDiscordGateway(
      { getPapers: () => papers, logger: SILENT_LOGGER, keys: keys.keys },
      { applicationId: FAKE_APPLICATION_ID, mentions: true, ...config },
    );
  }

  it("names DISCORD_TOKEN when Discord rejects it, before opening a gateway session", async () => {
    const before = fake.sessions.length;
    await expect(start({ token: "wrong-token", apiUrl: fake.apiUrl })).rejects.toThrow(
      /^Discord rejected DISCORD_TOKEN \(401 Unauthorized\): .*Reset Token/,
    );
    expect(fake.sessions.length).toBe(before);
  });

  it("explains discord.js' own rejection the same way (the token reset between the check and the login)", async () => {
    fake.resetTokenAfter(1);
    try {
      await expect(start({ token: "test-token", apiUrl: fake.apiUrl })).rejects.toThrow(
        /^Discord rejected DISCORD_TOKEN \(401 Unauthorized\)/,
      );
      expect(fake.callsTo(/^\/gateway\/bot$/).at(-1)?.headers.authorization).toBe("Bot test-token");
    } finally {
      fake.validToken = "test-token";
      fake.resetTokenAfter(Number.POSITIVE_INFINITY);
    }
  });

  it("names DISCORD_API_URL when it is not a URL, or Discord's JSON answers an unknown path", async () => {
    await expect(start({ token: "test-token", apiUrl: "discord.com/api" })).rejects.toThrow(
      /^DISCORD_API_URL \(discord\.com\/api\) is not a usable URL; it should be the REST base with \/api and without \/v10/,
    );
    // A pasted /v10 doubles the version: Discord answers its own 404.
    await expect(start({ token: "test-token", apiUrl: `${fake.apiUrl}/v10` })).rejects.toThrow(
      /^DISCORD_API_URL \(.*\/api\/v10\) does not answer like Discord's API \(GET \/users\/@me answered 404 "404: Not Found"\)/,
    );
  });
});
