/**
 * One bot process for the arXiv end-to-end tests, wired as src/main.ts wires it: one SQLite state,
 * one LiveCorpus (a copy of data/ plus the stored papers), one paced arXiv client against the local
 * fake arXiv, the daily and arXiv services, and both platform adapters at once: the real discord.js
 * client (gateway mode) against the fake Discord and the real Bolt app (HTTP mode, signed requests)
 * against the fake Slack, sharing the same deps. Time for the services is a manual clock; the
 * corpus is not polled for store changes (main's followStoredPapers), so "found at once" means the
 * command's own reload did it.
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { ArxivClient } from "../../src/arxiv/arxiv-client.ts";
import { storedPaperRecords } from "../../src/arxiv/arxiv-runtime.ts";
import { type ArxivService, createArxivService } from "../../src/arxiv/arxiv-service.ts";
import { Pacer } from "../../src/arxiv/pacer.ts";
import type { AdapterDeps } from "../../src/core/adapter-deps.ts";
import { LiveCorpus } from "../../src/core/corpus/live-corpus.ts";
import { SILENT_LOGGER } from "../../src/core/logger.ts";
import { createDailyService, type DailyService } from "../../src/daily/daily-service.ts";
import { openSqliteState, type State } from "../../src/store/state.ts";
import { assertWithinDiscordLimits } from "../adapters/discord/discord-limits-check.ts";
import { type GatewayBot, startGatewayBot } from "../adapters/discord/harness.ts";
import { commandFields, type Harness, startHarness } from "../adapters/slack/harness.ts";
import { type ManualClock, TimeLine } from "../daily/helpers.ts";
import { FakeArxiv, type FakePaper } from "../fakes/arxiv/fake-arxiv.ts";
import type { RecordedCall } from "../fakes/discord/fake-discord.ts";
import { chatInput, type InteractionOptions, MEMBER_PERMISSIONS } from "../fakes/discord/payloads.ts";
import { assertWithinSlackLimits, type PayloadLike } from "../fakes/slack/assert-within-slack-limits.ts";
import { DATA } from "./arxiv-harness.ts";

/** View Channel + Send Messages + Manage Channels: may /add and change follows on Discord. */
export const MANAGER_PERMISSIONS = String(BigInt(MEMBER_PERMISSIONS) | (1n << 4n));
export const EPHEMERAL = 64;
/** Slack channel the tests use (commandFields' default). */
export const SLACK_CHANNEL = "C1";

export interface BotProcess {
  line: TimeLine;
  clock: ManualClock;
  arxivFake: FakeArxiv;
  state: State;
  corpus: LiveCorpus;
  daily: DailyService;
  arxiv: ArxivService;
  deps: AdapterDeps;
  discord: GatewayBot;
  slack: Harness;
  /** Every slash-command ack body Slack received from the bot (the inline answers). */
  slackAcks: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Starts the whole process; `papers` are what the fake arXiv holds from the start. */
export async function startBotProcess(start: string, papers: readonly FakePaper[]): Promise<BotProcess> {
  const folder = mkdtempSync(join(tmpdir(), "paperbot-arxiv-e2e-"));
  const dataPath = join(folder, "data");
  cpSync(DATA, dataPath, { recursive: true });
  const arxivFake = await new FakeArxiv(papers).start();
  const line = new TimeLine(start);
  const clock = line.clock();
  const state = openSqliteState(join(folder, "state.db"));
  const corpus = await LiveCorpus.open(dataPath, {
    logger: SILENT_LOGGER,
    extraRecords: storedPaperRecords(state.papers),
  });
  const getPapers = () => corpus.current();
  const reload = () => corpus.reload();
  const daily = createDailyService({ store: state.daily, getPapers, logger: SILENT_LOGGER, clock });
  const arxiv = createArxivService({
    stores: state,
    client: new ArxivClient({
      apiUrl: arxivFake.apiUrl,
      pacer: new Pacer(20),
      userAgent: "paperbot-e2e-test",
      retryDelaysMs: [20, 40],
      timeoutMs: 2000,
    }),
    getPapers,
    reload,
    logger: SILENT_LOGGER,
    config: { checkMinutes: 60, seeds: [] },
    slackAnyoneCanManage: true,
    clock,
  });
  const deps: AdapterDeps = {
    getPapers,
    logger: SILENT_LOGGER,
    daily,
    library: arxiv.library,
    follows: arxiv.follows,
  };
  const discord = await startGatewayBot({ deps });
  const slack = await startHarness({ deps });
  for (const service of [daily, arxiv]) {
    service.setPoster("discord", discord.handle);
    service.setPoster("slack", slack.handle);
  }
  await daily.start();
  await arxiv.start();
  return {
    line,
    clock,
    arxivFake,
    state,
    corpus,
    daily,
    arxiv,
    deps,
    discord,
    slack,
    slackAcks: [],
    async close() {
      await arxiv.stop();
      await daily.stop();
      clock.kill();
      await Promise.allSettled([discord.stop(), slack.close()]);
      await state.close();
      corpus.close();
      await arxivFake.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Discord

export interface DiscordMessageBody {
  content?: string;
  flags?: number;
  allowed_mentions?: unknown;
  embeds?: {
    title?: string;
    url?: string;
    description?: string;
    author?: { name: string };
    fields?: { name: string; value: string }[];
    footer?: { text: string };
  }[];
  components?: unknown[];
}

export interface DiscordAnswer {
  /** The message the user finally sees (the callback's data, or the deferred edit / follow-up). */
  message: DiscordMessageBody;
  /** The initial callback type: 4 answered at once, 5 deferred. */
  callbackType: number;
  calls: RecordedCall[];
}

/** Runs a slash command through a real INTERACTION_CREATE and returns what the user sees. */
export async function discordCommand(
  bot: GatewayBot,
  name: string,
  values: Record<string, string>,
  options: InteractionOptions = {},
): Promise<DiscordAnswer> {
  const payload = chatInput(name, values, options);
  bot.fake.dispatch("INTERACTION_CREATE", payload, payload.guild_id);
  return bot.fake.waitFor(
    () => {
      const calls = bot.fake.callsFor(payload);
      const callback = calls.find((call) => call.path.endsWith("/callback"));
      if (!callback) return undefined;
      const body = callback.body as { type: number; data?: DiscordMessageBody };
      if (body.type === 4) return { message: body.data ?? {}, callbackType: 4, calls };
      // Deferred: the answer is the edit of the original, or (a private answer after a public
      // deferral) a follow-up.
      const final = calls.find(
        (call) =>
          (call.method === "PATCH" && call.path.endsWith("/messages/@original")) ||
          (call.method === "POST" && /^\/webhooks\/\d+\/[^/]+$/.test(call.path)),
      );
      return final
        ? { message: final.body as DiscordMessageBody, callbackType: body.type, calls }
        : undefined;
    },
    10_000,
    `the answer to /${name}`,
  );
}

/** Everything a Discord answer or post shows, as one string. */
export function discordText(message: DiscordMessageBody): string {
  return JSON.stringify(message);
}

/** Checks every message body the fake Discord received (callbacks, edits, follow-ups, channel posts). */
export function assertDiscordCallsWithinLimits(bot: GatewayBot): number {
  let checked = 0;
  for (const call of bot.fake.calls) {
    const body = call.body as { type?: number; data?: unknown } | undefined;
    if (!body || typeof body !== "object") continue;
    if (call.path.endsWith("/callback")) {
      // Deferrals (5, 6) carry no message.
      if (body.type === 5 || body.type === 6) continue;
      assertWithinDiscordLimits(body);
      checked += 1;
    } else if (
      /^\/webhooks\/\d+\/[^/]+(\/messages\/@original)?$/.test(call.path) &&
      call.method !== "DELETE"
    ) {
      assertWithinDiscordLimits(body);
      checked += 1;
    } else if (/^\/channels\/\d+\/messages$/.test(call.path) && call.method === "POST") {
      assertWithinDiscordLimits(body);
      checked += 1;
    }
  }
  return checked;
}

// ---------------------------------------------------------------------------------------------
// Slack

export interface SlackAnswer {
  response_type?: string;
  text?: string;
  blocks?: unknown[];
}

/** Sends a signed `/paper <text>` and returns the answer (the ack body, or the response_url post). */
export async function slackCommand(
  proc: BotProcess,
  text: string,
  channel = SLACK_CHANNEL,
): Promise<SlackAnswer> {
  const fields: Record<string, string> = { ...commandFields(proc.slack.slack, text), channel_id: channel };
  const responseUrl = fields.response_url ?? "";
  const response = await proc.slack.send.command(fields);
  expect(response.status).toBe(200);
  const raw = await response.text();
  if (raw) {
    const body = JSON.parse(raw) as Record<string, unknown>;
    proc.slackAcks.push(body);
    return body as SlackAnswer;
  }
  const later = await proc.slack.slack.waitFor(() => proc.slack.slack.responsesTo(responseUrl)[0], 10_000);
  return later.body as SlackAnswer;
}

export function slackText(answer: SlackAnswer): string {
  return JSON.stringify(answer);
}

/** Checks every payload the bot gave Slack: ack bodies, response_url posts and Web API messages. */
export function assertSlackWithinLimits(proc: BotProcess): number {
  const payloads: PayloadLike[] = [
    ...proc.slackAcks,
    ...proc.slack.slack.responses.map((response) => response.body),
    ...proc.slack.slack.calls
      .filter((call) => ["chat.postMessage", "chat.postEphemeral", "chat.update"].includes(call.method))
      .map((call) => call.args),
  ];
  for (const payload of payloads) assertWithinSlackLimits(payload);
  return payloads.length;
}

// ---------------------------------------------------------------------------------------------
// Follows

/**
 * Waits until every follow has had its first check. `/follow` starts one at once, unless the follow
 * job is already running (then the new follow waits for the next minute's pass): a tick stands in
 * for that pass. Checks already claimed are not taken twice, so the tick never races them.
 */
export async function followsChecked(proc: BotProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const follows = await proc.state.follows.listFollows();
    if (follows.length > 0 && follows.every((follow) => follow.lastCheckedAt !== undefined)) return;
    if (Date.now() > deadline) throw new Error("follows were never checked");
    await proc.arxiv.tick();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
