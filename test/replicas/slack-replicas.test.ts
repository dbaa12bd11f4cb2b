/**
 * Three replicas of the real app (`src/main.ts` processes) in Slack HTTP mode behind a pretend load
 * balancer, all on one PostgreSQL database (DATABASE_URL), answering one fake Slack workspace: an
 * event retried to another replica is answered once, and a follow-up in a thread one replica
 * answered is answered by another. The control runs the same scenarios with each replica on a
 * SQLite file of its own, and sees the duplicate and the ignored follow-up: the shared store is
 * what makes the first pass.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventBody } from "../adapters/slack/harness.ts";
import { FakeArxiv } from "../fakes/arxiv/fake-arxiv.ts";
import { FAKE_BOT, FakeSlack } from "../fakes/slack/fake-slack.ts";
import { pgSuiteEnabled } from "../store/pg-test-database.ts";
import {
  outputs,
  type Replica,
  Resources,
  type StoreMode,
  sleep,
  startReplicas,
  storageFor,
  waitUntil,
} from "./replica-process.ts";
import { senderOf, senderTo, slackEnv } from "./slack-env.ts";

const enabled = await pgSuiteEnabled();

/** How long to keep watching for an answer that should not come (a duplicate, a stray reply). */
const QUIET_MS = 2_500;
const ANSWER_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 120_000;

function mention(channel: string, text: string, ts: string): Record<string, unknown> {
  return { type: "app_mention", user: "U1", text: `<@${FAKE_BOT.userId}> ${text}`, ts, channel };
}

/** Three replicas (a, b, c) storing state as `mode` says, one fake Slack, one fake arXiv. */
function replicaSet(mode: StoreMode) {
  const resources = new Resources();
  const set = {
    slack: undefined as unknown as FakeSlack,
    arxiv: undefined as unknown as FakeArxiv,
    a: undefined as unknown as Replica,
    b: undefined as unknown as Replica,
    c: undefined as unknown as Replica,
    replicas: [] as Replica[],
    posts(channel: string) {
      return set.slack.callsTo("chat.postMessage").filter((call) => call.args.channel === channel);
    },
    context: () =>
      `${JSON.stringify(set.slack?.calls ?? [], null, 1).slice(0, 4000)}\n${outputs(set.replicas)}`,
  };
  beforeAll(async () => {
    set.slack = await new FakeSlack().start();
    resources.add(() => set.slack.close());
    set.arxiv = await new FakeArxiv().start();
    resources.add(() => set.arxiv.close());
    const storage = await storageFor(mode, resources);
    set.replicas = await startReplicas(
      ["a", "b", "c"],
      (name) => ({ ...slackEnv(set.slack, set.arxiv, name), ...storage.envFor(name) }),
      resources,
    );
    [set.a, set.b, set.c] = set.replicas as [Replica, Replica, Replica];
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    // Nothing here may reach the internet or arXiv: no follows exist, so no replica asks.
    const arxivRequests = set.arxiv?.requests.length ?? 0;
    await resources.closeAll();
    expect(arxivRequests).toBe(0);
  }, 30_000);
  return set;
}

/** Scenario 1: Ev1 reaches replica A; Slack's retry of it (X-Slack-Retry-Num: 1) reaches replica B. */
async function retriedEvent(set: ReturnType<typeof replicaSet>, expected: number) {
  const channel = "C1";
  const body = eventBody(mention(channel, "hessian of CNNs", "1710000000.000100"), "Ev1");
  expect((await senderTo(set.a).event(body)).status).toBe(200);
  expect((await senderTo(set.b).event(body, { retryNum: 1 })).status).toBe(200);
  await waitUntil(
    () => set.posts(channel).length >= expected,
    ANSWER_TIMEOUT_MS,
    `${expected} answer(s)`,
    set.context,
  );
  await sleep(QUIET_MS);
  return set.posts(channel);
}

/** Scenario 2: a mention answered by A starts a thread; a reply in it (no mention) reaches B. */
async function followUpOnAnotherReplica(set: ReturnType<typeof replicaSet>) {
  const channel = "C2";
  const root = "1710000000.000200";
  await senderTo(set.a).event(eventBody(mention(channel, "hessian rank", root), "Ev2"));
  const [first] = await waitUntil(
    () => set.posts(channel).length >= 1 && set.posts(channel),
    ANSWER_TIMEOUT_MS,
    "A's answer",
    set.context,
  );
  // The person reads the answer before replying; meanwhile A records the thread as followed.
  await sleep(1_500);
  const followUp = {
    type: "message",
    channel_type: "channel",
    user: "U1",
    text: "and cosmology?",
    ts: "1710000000.000201",
    thread_ts: root,
    channel,
  };
  expect((await senderTo(set.b).event(eventBody(followUp, "Ev3"))).status).toBe(200);
  return { first, root, channel };
}

describe.skipIf(!enabled)("Slack HTTP mode: three app processes on one PostgreSQL database", () => {
  const set = replicaSet("shared");

  it("answers once an event delivered to replica A and retried (X-Slack-Retry-Num: 1) to replica B", async () => {
    const posts = await retriedEvent(set, 1);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.thread_ts).toBe("1710000000.000100");
    expect(["a", "b"]).toContain(senderOf(posts[0]));
  }, 30_000);

  it("answers on replica B a follow-up (no mention) in a thread replica A answered", async () => {
    const { first, root, channel } = await followUpOnAnotherReplica(set);
    expect(senderOf(first)).toBe("a");
    expect(first?.args.thread_ts).toBe(root);
    const [, second] = await waitUntil(
      () => set.posts(channel).length >= 2 && set.posts(channel),
      ANSWER_TIMEOUT_MS,
      "B's answer to the follow-up",
      set.context,
    );
    expect(senderOf(second)).toBe("b");
    expect(second?.args.thread_ts).toBe(root);
    expect(JSON.stringify(second?.args.blocks)).toMatch(/\d{4}\.\d{5}/);
    await sleep(QUIET_MS);
    expect(set.posts(channel)).toHaveLength(2);
  }, 30_000);

  it("serves Prometheus metrics on each replica's PORT, counting the commands it answered", async () => {
    const response = await fetch(`${set.b.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(/paperbot_commands_total\{platform="slack",command="ask",outcome="ok"\} [1-9]/);
    expect(text).toContain("paperbot_command_duration_seconds_bucket");
    expect(text).toContain("process_cpu_user_seconds_total");
  });
});

describe.skipIf(!enabled)("control: the same three processes, each on a SQLite file of its own", () => {
  const set = replicaSet("separate");

  it("answers twice an event retried to another replica: per-process dedupe cannot catch it", async () => {
    const posts = await retriedEvent(set, 2);
    expect(posts).toHaveLength(2);
    expect(posts.map(senderOf).sort()).toEqual(["a", "b"]);
  }, 30_000);

  it("leaves unanswered a follow-up on replica B in a thread only replica A knows", async () => {
    const { first, channel } = await followUpOnAnotherReplica(set);
    expect(senderOf(first)).toBe("a");
    await sleep(QUIET_MS);
    expect(set.posts(channel)).toHaveLength(1);
  }, 30_000);
});
