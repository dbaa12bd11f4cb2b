/**
 * arXiv end to end from Slack: the real Bolt app (HTTP mode, signed requests) against the fake
 * Slack, in one process with the real discord.js client against the fake Discord, one SQLite
 * state, one live corpus and the paced arXiv client against the fake arXiv, wired as src/main.ts does.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DAILY_EVENT_TYPE } from "../../src/adapters/slack/channel-poster.ts";
import { SCALING, SHARPNESS, VISION } from "../fakes/arxiv/sample-papers.ts";
import { CHANNEL_ID } from "../fakes/discord/payloads.ts";
import {
  assertDiscordCallsWithinLimits,
  assertSlackWithinLimits,
  type BotProcess,
  discordCommand,
  EPHEMERAL,
  followsChecked,
  MANAGER_PERMISSIONS,
  SLACK_CHANNEL,
  slackCommand,
  slackText,
  startBotProcess,
} from "./e2e-helpers.ts";

const HOUR = 3_600_000;

const running: BotProcess[] = [];
async function boot(...args: Parameters<typeof startBotProcess>): Promise<BotProcess> {
  const proc = await startBotProcess(...args);
  running.push(proc);
  return proc;
}
afterEach(async () => {
  for (const proc of running.splice(0)) await proc.close();
});

function discordChannelPosts(proc: BotProcess) {
  return proc.discord.fake.callsTo(new RegExp(`^/channels/${CHANNEL_ID}/messages$`), "POST");
}

describe("arXiv on Slack (real Bolt and discord.js against the fakes, one process)", () => {
  it("/paper add answers privately when arXiv lacks the id or does not answer, and adds nothing", async () => {
    const proc = await boot("2024-03-10T12:00:00Z", [SHARPNESS]);
    const before = proc.corpus.current();

    const missing = await slackCommand(proc, "add 2402.99999");
    expect(missing.response_type).toBe("ephemeral");
    expect(slackText(missing)).toContain("arXiv has no paper 2402.99999");

    for (let i = 0; i < 3; i++) proc.arxivFake.failNext({ status: 503 });
    const down = await slackCommand(proc, "add 2401.01234");
    expect(down.response_type).toBe("ephemeral");
    expect(slackText(down)).toContain("arXiv is not answering right now");
    expect(slackText(down)).toContain("Nothing was changed");
    expect(proc.arxivFake.requests.slice(-3).map((request) => request.answer)).toEqual([
      "status",
      "status",
      "status",
    ]);

    // Nothing was added, anywhere: not stored, not in the corpus, not found on either platform.
    expect(await proc.state.papers.list()).toEqual([]);
    expect(proc.corpus.current()).toBe(before);
    expect(proc.corpus.current().get("2401.01234")).toBeUndefined();
    const search = await slackCommand(proc, "search curvature loss landscape forget");
    expect(slackText(search)).not.toContain("2401.01234");
    const paper = await discordCommand(proc.discord, "paper", { query: "2401.01234" });
    expect(paper.message.flags).toBe(EPHEMERAL);
    expect(proc.slack.slack.callsTo("chat.postMessage")).toHaveLength(0);

    // Once arXiv answers again the same command adds it, in the channel for everyone.
    const added = await slackCommand(proc, "add 2401.01234");
    expect(added.response_type).toBe("in_channel");
    expect(slackText(added)).toContain("Added to the library");
    expect(proc.corpus.current().get("2401.01234")?.version).toBe(2);
    assertSlackWithinLimits(proc);
    assertDiscordCallsWithinLimits(proc.discord);
  });

  it("/paper follow category:cs.LG posts a new arXiv paper once in the channel, with message metadata", async () => {
    // SHARPNESS (cs.LG, January) is the backlog; SCALING appears on arXiv after the follow began.
    const proc = await boot("2024-02-08T10:00:00Z", [SHARPNESS]);
    const followed = await slackCommand(proc, "follow category:cs.LG");
    expect(followed.response_type).toBe("in_channel");
    expect(slackText(followed)).toContain("Following category");
    await followsChecked(proc);
    await proc.arxiv.tick();
    expect(proc.slack.slack.messagesIn(SLACK_CHANNEL)).toHaveLength(0); // the backlog is not news

    proc.arxivFake.addPapers(SCALING); // submitted 2024-02-08T12:00:00Z
    proc.line.now = Date.parse("2024-02-08T13:00:00Z");
    await proc.arxiv.tick();
    const messages = proc.slack.slack.messagesIn(SLACK_CHANNEL);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe("New on arXiv: Scaling Limits of Transformers (2402.05678)");
    expect(messages[0]?.metadata).toEqual({
      event_type: DAILY_EVENT_TYPE,
      event_payload: { key: expect.stringMatching(/^nf-.{22}$/) },
    });
    const post = proc.slack.slack.callsTo("chat.postMessage")[0];
    expect(JSON.stringify(post?.args.blocks)).toContain("New on arXiv");
    expect(JSON.stringify(post?.args.blocks)).toContain("Scaling Limits of Transformers");

    // The posted paper is in the corpus: /paper search finds it.
    const found = await slackCommand(proc, "search scaling limits transformers");
    expect(found.text).toMatch(/\n1\. Scaling Limits of Transformers/);

    proc.line.now += HOUR;
    await proc.arxiv.tick();
    proc.line.now += HOUR;
    await proc.arxiv.tick();
    expect(proc.slack.slack.messagesIn(SLACK_CHANNEL)).toHaveLength(1);
    expect(proc.slack.slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(discordChannelPosts(proc)).toHaveLength(0); // a Slack follow never posts on Discord

    const list = await slackCommand(proc, "follow list");
    expect(list.response_type).toBe("ephemeral");
    expect(slackText(list)).toContain("1. category:cs.LG");
    expect(slackText(list)).toContain("1 new paper posted here");
    assertSlackWithinLimits(proc);
    assertDiscordCallsWithinLimits(proc.discord);
  });

  it("one tick serves follows on both platforms: each channel gets its new paper once", async () => {
    const proc = await boot("2024-02-08T10:00:00Z", [SHARPNESS]);
    await slackCommand(proc, "follow category:cs.LG");
    await discordCommand(
      proc.discord,
      "follow",
      { filters: "category:cs.CV" },
      { permissions: MANAGER_PERMISSIONS },
    );
    await followsChecked(proc);
    // SCALING is cs.LG only; VISION is cs.CV and cs.LG. Both appear after the follows began.
    proc.arxivFake.addPapers(
      { ...SCALING, submitted: "2024-02-08T11:00:00Z" },
      { ...VISION, submitted: "2024-02-08T11:30:00Z", version: 1, updated: undefined },
    );
    proc.line.now = Date.parse("2024-02-08T12:00:00Z");
    await proc.arxiv.tick();
    await proc.arxiv.tick();
    expect(proc.slack.slack.messagesIn(SLACK_CHANNEL).map((message) => message.text)).toEqual([
      "New on arXiv: A Vision Model (2403.00001)",
      "New on arXiv: Scaling Limits of Transformers (2402.05678)",
    ]);
    const discord = proc.discord.fake.messagesIn(CHANNEL_ID);
    expect(discord.map((message) => (message.embeds as { title?: string }[])[0]?.title)).toEqual([
      "A Vision Model",
    ]);
    proc.line.now += HOUR;
    await proc.arxiv.tick();
    expect(proc.slack.slack.callsTo("chat.postMessage")).toHaveLength(2);
    expect(discordChannelPosts(proc)).toHaveLength(1);
    assertSlackWithinLimits(proc);
    assertDiscordCallsWithinLimits(proc.discord);
  });
});
