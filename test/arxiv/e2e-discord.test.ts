/**
 * arXiv end to end from Discord: the real discord.js client (gateway mode) against the fake
 * Discord, in one process with the real Bolt app against the fake Slack, one SQLite state, one
 * live corpus and the paced arXiv client against the fake arXiv, wired as src/main.ts does.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SCALING, SHARPNESS } from "../fakes/arxiv/sample-papers.ts";
import { CHANNEL_ID, MEMBER_PERMISSIONS } from "../fakes/discord/payloads.ts";
import {
  assertDiscordCallsWithinLimits,
  assertSlackWithinLimits,
  type BotProcess,
  discordCommand,
  discordText,
  EPHEMERAL,
  followsChecked,
  MANAGER_PERMISSIONS,
  slackCommand,
  startBotProcess,
} from "./e2e-helpers.ts";

const HOUR = 3_600_000;
const SHARPNESS_TITLE = /^Sharpness and the Hessian: How the Curvature of the Loss Landscape/;

const running: BotProcess[] = [];
async function boot(...args: Parameters<typeof startBotProcess>): Promise<BotProcess> {
  const proc = await startBotProcess(...args);
  running.push(proc);
  return proc;
}
afterEach(async () => {
  for (const proc of running.splice(0)) await proc.close();
});

/** Both fakes only ever received messages within their platform's limits. */
function expectAllWithinLimits(proc: BotProcess): void {
  expect(assertDiscordCallsWithinLimits(proc.discord)).toBeGreaterThan(0);
  assertSlackWithinLimits(proc);
}

function channelPosts(proc: BotProcess) {
  return proc.discord.fake.callsTo(new RegExp(`^/channels/${CHANNEL_ID}/messages$`), "POST");
}

describe("arXiv on Discord (real discord.js and Bolt against the fakes, one process)", () => {
  it("adds a paper with /add that Slack /paper search and Discord /paper find at once", async () => {
    const proc = await boot("2024-03-10T12:00:00Z", [SHARPNESS, SCALING]);
    const before = await discordCommand(proc.discord, "paper", { query: "2401.01234" });
    expect(before.message.flags).toBe(EPHEMERAL);
    expect(discordText(before.message)).not.toMatch(/Sharpness and the Hessian/);

    const added = await discordCommand(
      proc.discord,
      "add",
      { ids: "2401.01234" },
      { permissions: MANAGER_PERMISSIONS },
    );
    expect([4, 5]).toContain(added.callbackType);
    expect(added.message.flags ?? 0).toBe(0); // in the channel, for everyone
    const embed = added.message.embeds?.[0];
    expect(embed?.author?.name).toBe("Added to the library");
    expect(embed?.title).toMatch(SHARPNESS_TITLE);
    expect(embed?.url).toContain("2401.01234");
    expect(added.message.allowed_mentions).toMatchObject({ parse: [] });
    expect(proc.arxivFake.requests.map((request) => request.params.id_list)).toEqual(["2401.01234"]);

    // The other platform finds it at once, by words of its title and abstract.
    const found = await slackCommand(proc, "search curvature loss landscape forget");
    expect(found.response_type).toBe("in_channel");
    expect(found.text).toMatch(/\n1\. Sharpness and the Hessian/);
    expect(JSON.stringify(found.blocks)).toContain("2401.01234");

    // And /paper on Discord shows it.
    const shown = await discordCommand(proc.discord, "paper", { query: "2401.01234" });
    expect(shown.message.flags ?? 0).toBe(0);
    expect(shown.message.embeds?.[0]?.title).toMatch(SHARPNESS_TITLE);
    expect(discordText(shown.message)).toContain("Gregor Bachmann");
    expect(await proc.state.papers.list()).toHaveLength(1);
    expectAllWithinLimits(proc);
  });

  it("lets only members who can manage the channel /add, without asking arXiv otherwise", async () => {
    const proc = await boot("2024-03-10T12:00:00Z", [SHARPNESS]);
    const refused = await discordCommand(
      proc.discord,
      "add",
      { ids: "2401.01234" },
      { permissions: MEMBER_PERMISSIONS },
    );
    expect(refused.message.flags).toBe(EPHEMERAL);
    expect(discordText(refused.message)).toContain("Only members who can manage this channel can add papers");
    expect(proc.arxivFake.requests).toHaveLength(0);
    expect(await proc.state.papers.list()).toEqual([]);
    expectAllWithinLimits(proc);
  });

  it("/follow category:cs.LG posts a new arXiv paper once in the channel, headed New on arXiv", async () => {
    // SHARPNESS (cs.LG, January) is the backlog; SCALING appears on arXiv after the follow began.
    const proc = await boot("2024-02-08T10:00:00Z", [SHARPNESS]);
    const followed = await discordCommand(
      proc.discord,
      "follow",
      { filters: "category:cs.LG" },
      { permissions: MANAGER_PERMISSIONS },
    );
    expect(followed.message.flags ?? 0).toBe(0);
    expect(discordText(followed.message)).toContain("Following category");
    expect(discordText(followed.message)).toContain("New on arXiv");
    await followsChecked(proc);
    await proc.arxiv.tick();
    expect(channelPosts(proc)).toHaveLength(0); // the backlog is not news

    proc.arxivFake.addPapers(SCALING); // submitted 2024-02-08T12:00:00Z
    proc.line.now = Date.parse("2024-02-08T13:00:00Z");
    await proc.arxiv.tick();
    const messages = proc.discord.fake.messagesIn(CHANNEL_ID);
    expect(messages).toHaveLength(1);
    const embed = ((messages[0]?.embeds ?? []) as { author?: { name: string }; title?: string }[])[0];
    expect(embed?.author?.name).toBe("New on arXiv");
    expect(embed?.title).toBe("Scaling Limits of Transformers");
    const body = channelPosts(proc)[0]?.body as {
      nonce: string;
      enforce_nonce: boolean;
      allowed_mentions: unknown;
    };
    expect(body.enforce_nonce).toBe(true);
    expect(body.nonce).toMatch(/^nf-/);
    expect(body.allowed_mentions).toMatchObject({ parse: [] });

    // The posted paper is in the corpus: /paper finds it on Discord.
    const shown = await discordCommand(proc.discord, "paper", { query: "2402.05678" });
    expect(shown.message.embeds?.[0]?.title).toBe("Scaling Limits of Transformers");

    proc.line.now += HOUR;
    await proc.arxiv.tick();
    proc.line.now += HOUR;
    await proc.arxiv.tick();
    expect(proc.discord.fake.messagesIn(CHANNEL_ID)).toHaveLength(1);
    expect(channelPosts(proc)).toHaveLength(1);
    // A Discord follow never posts on Slack.
    expect(proc.slack.slack.callsTo("chat.postMessage")).toHaveLength(0);

    const list = await discordCommand(proc.discord, "follow", { filters: "list" });
    expect(list.message.flags).toBe(EPHEMERAL);
    expect(discordText(list.message)).toContain("1 new paper posted here");
    expectAllWithinLimits(proc);
  });

  it("answers /follow list privately, listing the channel's follows, to any member", async () => {
    const proc = await boot("2024-02-08T10:00:00Z", [SHARPNESS]);
    await discordCommand(
      proc.discord,
      "follow",
      { filters: 'author:"Gregor Bachmann" category:cs.LG' },
      { permissions: MANAGER_PERMISSIONS },
    );
    await followsChecked(proc);
    const list = await discordCommand(
      proc.discord,
      "follow",
      { filters: "list" },
      { permissions: MEMBER_PERMISSIONS },
    );
    expect(list.message.flags).toBe(EPHEMERAL);
    const shown = list.message.content ?? "";
    expect(shown).toContain("Following on arXiv here");
    // Discord's renderer escapes the list marker (1\.) so the line shows as typed.
    expect(shown).toMatch(/^1\\?\. author:"Gregor Bachmann" category:cs\.LG \(checked/m);
    // The follow belongs to this Discord channel, not to the Slack one.
    const slackList = await slackCommand(proc, "follow list");
    expect(slackList.response_type).toBe("ephemeral");
    expect(JSON.stringify(slackList)).toContain("follows nothing");
    expectAllWithinLimits(proc);
  });
});
