/**
 * Slack HTTP mode settings for replica processes, and signed requests to one replica. Each replica
 * gets its own bot token (`xoxb-replica-<name>`), which the fake Slack records with every call, so
 * a test can tell which replica sent an answer. (Real replicas share one token; the fake does not
 * check it.)
 */
import type { FakeArxiv } from "../fakes/arxiv/fake-arxiv.ts";
import type { FakeSlack, RecordedCall } from "../fakes/slack/fake-slack.ts";
import { type SlackSender, slackSender } from "../fakes/slack/signed-request.ts";
import type { Replica } from "./replica-process.ts";

export const SLACK_SIGNING_SECRET = "replica-signing-secret";

export function slackEnv(slack: FakeSlack, arxiv: FakeArxiv, name: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: tokenOf(name),
    SLACK_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    ARXIV_API_URL: arxiv.apiUrl,
  };
}

export function tokenOf(name: string): string {
  return `xoxb-replica-${name}`;
}

/** The replica (by name) that made a recorded Web API call. */
export function senderOf(call: RecordedCall | undefined): string | undefined {
  return call?.token?.replace(/^xoxb-replica-/, "");
}

export function senderTo(replica: Replica): SlackSender {
  return slackSender(`${replica.baseUrl}/slack/events`, SLACK_SIGNING_SECRET);
}
