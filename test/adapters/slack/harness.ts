/**
 * Starts the real Bolt app (startSlack) against the fake Slack, with signed-request helpers. Each
 * harness has its own SQLite KeyStore unless `deps.keys` is given; replicas pass one KeyStore and
 * one FakeSlack to several harnesses.
 */

import type { SlackDeps } from "../../../src/adapters/slack/slack-runner.ts";
import {
  type SlackConfig,
  type SlackHandle,
  type SlackOptions,
  startSlack,
} from "../../../src/adapters/slack/start-slack.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import type { PaperIndex } from "../../../src/core/paper-index.ts";
import { FAKE_BOT, FakeSlack } from "../../fakes/slack/fake-slack.ts";
import { type SlackSender, slackSender } from "../../fakes/slack/signed-request.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { openTempKeys } from "../temp-keys.ts";

export const SIGNING_SECRET = "test-signing-secret";

export interface Harness {
  slack: FakeSlack;
  handle: SlackHandle;
  send: SlackSender;
  papers: PaperIndex;
  baseUrl: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Partial<SlackConfig>;
  deps?: Partial<SlackDeps>;
  options?: SlackOptions;
  /** A fake Slack shared with other harnesses (replicas of one app); close() leaves it running. */
  slack?: FakeSlack;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = options.slack ?? (await new FakeSlack().start());
  const ownKeys = options.deps?.keys ? undefined : openTempKeys();
  const keys = options.deps?.keys ?? ownKeys?.keys;
  if (!keys) throw new Error("unreachable: a harness always has a KeyStore");
  const papers = await bundledIndex();
  const config: SlackConfig = {
    botToken: "xoxb-test",
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
    commandNames: { paper: "/paper" },
    ...options.config,
  };
  const handle = await startSlack(
    { getPapers: () => papers, logger: SILENT_LOGGER, random: () => 0.42, ...options.deps, keys },
    config,
    0,
    options.options,
  );
  const baseUrl = `http://127.0.0.1:${handle.port}`;
  return {
    slack,
    handle,
    papers,
    baseUrl,
    send: slackSender(`${baseUrl}/slack/events`, SIGNING_SECRET),
    async close() {
      await handle.stop();
      if (!options.slack) await slack.close();
      await ownKeys?.close();
    },
  };
}

let counter = 0;

export function commandFields(slack: FakeSlack, text: string, command = "/paper"): Record<string, string> {
  counter += 1;
  return {
    token: "legacy-verification-token",
    team_id: FAKE_BOT.teamId,
    team_domain: "lab",
    channel_id: "C1",
    channel_name: "papers",
    user_id: "U1",
    user_name: "ada",
    command,
    text,
    api_app_id: FAKE_BOT.appId,
    response_url: slack.responseUrl(`cmd-${counter}`),
    trigger_id: `trigger-${counter}`,
  };
}

export function eventBody(event: Record<string, unknown>, eventId = nextEventId()): Record<string, unknown> {
  return {
    token: "legacy-verification-token",
    team_id: FAKE_BOT.teamId,
    api_app_id: FAKE_BOT.appId,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: FAKE_BOT.teamId, user_id: FAKE_BOT.userId, is_bot: true }],
    event,
  };
}

export function nextEventId(): string {
  counter += 1;
  return `Ev${counter}`;
}

export function nextTs(): string {
  counter += 1;
  return `1710000000.${String(counter).padStart(6, "0")}`;
}

export function blockActionPayload(
  slack: FakeSlack,
  button: { action_id: string; value?: string },
  options: { ephemeral?: boolean; responseUrl?: string | null } = {},
): Record<string, unknown> {
  counter += 1;
  const payload: Record<string, unknown> = {
    type: "block_actions",
    team: { id: FAKE_BOT.teamId, domain: "lab" },
    user: { id: "U2", username: "grace", name: "grace", team_id: FAKE_BOT.teamId },
    api_app_id: FAKE_BOT.appId,
    token: "legacy-verification-token",
    container: {
      type: "message",
      message_ts: "1700000000.000001",
      channel_id: "C1",
      is_ephemeral: Boolean(options.ephemeral),
    },
    trigger_id: `trigger-${counter}`,
    channel: { id: "C1", name: "papers" },
    message: { type: "message", ts: "1700000000.000001", text: "results" },
    actions: [
      {
        type: "button",
        block_id: "b1",
        text: { type: "plain_text", text: "x" },
        action_ts: "1.2",
        ...button,
      },
    ],
  };
  if (options.responseUrl !== null)
    payload.response_url = options.responseUrl ?? slack.responseUrl(`act-${counter}`);
  return payload;
}
