/**
 * Who may manage daily posts on Slack with DAILY_SLACK_ANYONE_CAN_MANAGE=false, end to end: signed
 * requests into the real Bolt app, users.info answered by the fake Slack, and the real daily service
 * on SQLite deciding. Refusals must reach the asker only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/core/logger.ts";
import { readDailyConfig } from "../../../src/daily/daily-config.ts";
import { createDailyService } from "../../../src/daily/daily-service.ts";
import { openSqliteState, type State } from "../../../src/store/state.ts";
import { FAKE_BOT } from "../../fakes/slack/fake-slack.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import {
  blockActionPayload,
  commandFields,
  eventBody,
  type Harness,
  nextTs,
  startHarness,
} from "./harness.ts";

const REFUSAL = "Only workspace admins and owners, and people listed in DAILY_SLACK_MANAGERS, can change";
const ALLOWLISTED = "U7MANAGER";

interface Bot {
  harness: Harness;
  state: State;
  logged: string[];
}

const open: Bot[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const bot of open.splice(0)) {
    await bot.harness.close();
    await bot.state.close();
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** The bot as main.ts wires it with DAILY_SLACK_ANYONE_CAN_MANAGE=false and DAILY_SLACK_MANAGERS=U7MANAGER. */
async function startBot(): Promise<Bot> {
  const folder = mkdtempSync(join(tmpdir(), "paperbot-slack-managers-"));
  folders.push(folder);
  const state = openSqliteState(join(folder, "state.db"));
  const logged: string[] = [];
  const logger = createLogger("debug", (line) => logged.push(line));
  const papers = await bundledIndex();
  const daily = createDailyService({
    store: state.daily,
    getPapers: () => papers,
    logger,
    config: readDailyConfig({ DAILY_SLACK_ANYONE_CAN_MANAGE: "false" }),
  });
  const harness = await startHarness({
    config: { manage: { anyoneCanManage: false, managers: [ALLOWLISTED] } },
    deps: { keys: state.keys, logger, daily, getPapers: () => papers },
  });
  daily.setPoster("slack", harness.handle);
  const bot = { harness, state, logged };
  open.push(bot);
  return bot;
}

interface Answer {
  response_type?: string;
  text?: string;
  blocks?: unknown[];
}

/** Sends a slash command as `user` and returns its answer: inline in the ack, or on response_url. */
async function command(bot: Bot, user: string, text: string, channel = "C1"): Promise<Answer> {
  const { slack, send } = bot.harness;
  const fields: Record<string, string> = {
    ...commandFields(slack, text),
    user_id: user,
    channel_id: channel,
  };
  const response = await send.command(fields);
  expect(response.status).toBe(200);
  const inline = await response.text();
  if (inline) return JSON.parse(inline) as Answer;
  const [later] = await slack.waitFor(() => {
    const found = slack.responsesTo(fields.response_url ?? "");
    return found.length > 0 && found;
  });
  return later?.body as Answer;
}

function shown(answer: Answer | Record<string, unknown>): string {
  return JSON.stringify(answer);
}

function lookupsFor(bot: Bot, user: string): number {
  return bot.harness.slack.callsTo("users.info").filter((call) => call.args.user === user).length;
}

describe("Slack channel managers with DAILY_SLACK_ANYONE_CAN_MANAGE=false", () => {
  it.each([
    ["a workspace admin", { is_admin: true }],
    ["a workspace owner", { is_owner: true }],
    ["the primary owner", { is_primary_owner: true }],
  ])("lets %s turn the daily paper on in a channel", async (_who, role) => {
    const bot = await startBot();
    bot.harness.slack.setRole("UBOSS", role);
    const answer = await command(bot, "UBOSS", "daily on 08:30");
    expect(answer.response_type).toBe("in_channel");
    expect(shown(answer)).toContain("Daily paper on");
    expect(lookupsFor(bot, "UBOSS")).toBe(1);
    const off = await command(bot, "UBOSS", "daily off");
    expect(shown(off)).toContain("Daily paper off");
  });

  it.each([
    ["an admin of another workspace in a shared channel", { is_admin: true, team_id: "T2OTHER" }],
    ["a guest, even one flagged admin", { is_admin: true, is_restricted: true }],
  ])("does not let %s manage", async (_who, role) => {
    const bot = await startBot();
    bot.harness.slack.setRole("UGUEST", role);
    const answer = await command(bot, "UGUEST", "daily on");
    expect(answer.response_type).toBe("ephemeral");
    expect(shown(answer)).toContain(REFUSAL);
  });

  it("lets someone in DAILY_SLACK_MANAGERS manage without asking Slack who they are", async () => {
    const bot = await startBot();
    const answer = await command(bot, ALLOWLISTED, "daily on");
    expect(answer.response_type).toBe("in_channel");
    expect(shown(answer)).toContain("Daily paper on");
    expect(bot.harness.slack.callsTo("users.info")).toHaveLength(0);
  });

  it("tells an ordinary member privately who may, and changes nothing", async () => {
    const bot = await startBot();
    const answer = await command(bot, "UMEMBER", "daily on 08:30");
    expect(answer.response_type).toBe("ephemeral");
    expect(shown(answer)).toContain(REFUSAL);
    const status = await command(bot, "UMEMBER", "daily status");
    expect(shown(status)).toContain("The daily paper is off here");
  });

  it("lets anyone manage their own direct message with the bot", async () => {
    const bot = await startBot();
    const answer = await command(bot, "UMEMBER", "daily on", "D0123");
    expect(shown(answer)).toContain("Daily paper on");
    expect(bot.harness.slack.callsTo("users.info")).toHaveLength(0);
  });

  it("asks Slack nothing for commands that change nothing", async () => {
    const bot = await startBot();
    await command(bot, "UMEMBER", "search hessian");
    await command(bot, "UMEMBER", "random");
    expect(bot.harness.slack.callsTo("users.info")).toHaveLength(0);
  });

  it("asks users.info once for a burst of requests by one member", async () => {
    const bot = await startBot();
    bot.harness.slack.setRole("UBOSS", { is_admin: true });
    const answers = await Promise.all(
      ["daily on", "daily now", "daily status", "daily on 10:00", "daily status"].map((text) =>
        command(bot, "UBOSS", text),
      ),
    );
    expect(answers.every((answer) => !shown(answer).includes(REFUSAL))).toBe(true);
    expect(lookupsFor(bot, "UBOSS")).toBe(1);
  });

  it("refuses politely when users.info fails (missing users:read scope), and logs that once", async () => {
    const bot = await startBot();
    bot.harness.slack.setRole("UBOSS", { is_admin: true });
    bot.harness.slack.failures.set("users.info", "missing_scope");
    for (const user of ["UBOSS", "UOTHER", "UTHIRD"]) {
      const answer = await command(bot, user, "daily on");
      expect(answer.response_type).toBe("ephemeral");
      expect(shown(answer)).toContain(REFUSAL);
    }
    const warnings = bot.logged.filter((line) => line.includes("workspace admin or owner"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("missing_scope");
    expect(warnings[0]).toContain("users:read");
    // Allowlisted managers are not affected.
    expect(shown(await command(bot, ALLOWLISTED, "daily on"))).toContain("Daily paper on");
  });

  it("refuses in time when users.info does not answer, instead of hanging past Slack's ack", async () => {
    const bot = await startBot();
    bot.harness.slack.setRole("UBOSS", { is_admin: true });
    bot.harness.slack.loseNextAnswer("users.info", { stallMs: 10_000 });
    const answer = await command(bot, "UBOSS", "daily on");
    expect(answer.response_type).toBe("ephemeral");
    expect(shown(answer)).toContain(REFUSAL);
  });

  it("answers a member's @mention asking to manage with a private refusal in the thread", async () => {
    const bot = await startBot();
    const { slack, send } = bot.harness;
    const ts = nextTs();
    await send.event(
      eventBody({
        type: "app_mention",
        user: "UMEMBER",
        text: `<@${FAKE_BOT.userId}> /daily on`,
        ts,
        channel: "C5",
      }),
    );
    const [refusal] = await slack.waitFor(() => {
      const found = slack.callsTo("chat.postEphemeral");
      return found.length > 0 && found;
    });
    expect(refusal?.args).toMatchObject({ channel: "C5", user: "UMEMBER", thread_ts: ts });
    expect(shown(refusal?.args ?? {})).toContain(REFUSAL);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("answers a member's click on a managing button privately", async () => {
    const bot = await startBot();
    const { slack, send } = bot.harness;
    const payload = blockActionPayload(slack, {
      action_id: "paperbot:next:0",
      value: JSON.stringify({ c: "daily", t: "on" }),
    });
    payload.user = { id: "UMEMBER", username: "member", name: "member", team_id: FAKE_BOT.teamId };
    expect((await send.action(payload)).status).toBe(200);
    const [response] = await slack.waitFor(() => {
      const found = slack.responsesTo(String(payload.response_url));
      return found.length > 0 && found;
    });
    expect(response?.body.response_type).toBe("ephemeral");
    expect(shown(response?.body ?? {})).toContain(REFUSAL);
  });
});
