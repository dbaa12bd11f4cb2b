/**
 * Daily posts with three replicas of the real app (`src/main.ts` processes, Slack HTTP mode) on one
 * PostgreSQL database: a channel whose time today has passed while nothing ran is owed a post, and
 * each replica's start-up catch-up tries to make it, all at about the same moment. Exactly one post
 * reaches Slack. The control (each replica on a SQLite file of its own, seeded the same) sees one
 * post per replica.
 *
 * The subscription is written into the database before the start, as `/daily on` would have left it
 * the day before: DAILY_CHANNELS alone cannot set this up, because a seeded entry is active from the
 * moment it is applied, and a time that has already passed then waits for tomorrow (`activeFrom`).
 * DAILY_CHANNELS carries the same entry anyway, so every replica also applies it at start (keeping
 * the earlier `activeFrom`, as time and zone are unchanged), racing the others' catch-up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAILY_EVENT_TYPE } from "../../src/adapters/slack/channel-poster.ts";
import type { DailyChannel } from "../../src/core/daily-control.ts";
import { newSubscription } from "../../src/daily/daily-commands.ts";
import { DEFAULT_DAILY_CONFIG } from "../../src/daily/daily-config.ts";
import { DAILY_HEADING } from "../../src/daily/daily-post.ts";
import { openState, type State } from "../../src/store/state.ts";
import { FakeArxiv } from "../fakes/arxiv/fake-arxiv.ts";
import { FakeSlack, type RecordedCall } from "../fakes/slack/fake-slack.ts";
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
import { senderOf, slackEnv } from "./slack-env.ts";

const enabled = await pgSuiteEnabled();

const CHANNEL: DailyChannel = { platform: "slack", channelId: "C4DAILY" };
const NAMES = ["a", "b", "c"] as const;
const DAY_MS = 24 * 60 * 60_000;
/** Long enough for every replica's catch-up (and a retry, were one to misfire) to have happened. */
const QUIET_MS = 4_000;
const START_TIMEOUT_MS = 120_000;

/**
 * A zone and an "HH:MM" a minute ago there, well inside today: UTC, unless UTC midnight is within a
 * few minutes (the post would be yesterday's, or today could end before the replicas are up); then
 * Asia/Tokyo, which has no daylight saving and is nine hours away from midnight.
 */
function passedTimeToday(now = Date.now()): { zone: string; time: string } {
  const utc = new Date(now);
  const minutes = utc.getUTCHours() * 60 + utc.getUTCMinutes();
  const zone = minutes < 5 || minutes >= 23 * 60 + 50 ? "Asia/Tokyo" : "UTC";
  const time = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(now - 60_000));
  return { zone, time };
}

/** Writes the channel's subscription, on since yesterday, into the state the replicas will open. */
async function seed(where: { databaseUrl?: string; databasePath: string }, zone: string, time: string) {
  const state: State = await openState(where);
  try {
    const since = Date.now() - DAY_MS;
    const subscription = newSubscription(CHANNEL, since, DEFAULT_DAILY_CONFIG);
    await state.daily.saveSubscription({ ...subscription, time, timeZone: zone });
  } finally {
    await state.close();
  }
}

function dailyPosts(slack: FakeSlack): RecordedCall[] {
  return slack.callsTo("chat.postMessage").filter((call) => {
    const metadata = call.args.metadata as { event_type?: string } | undefined;
    return call.args.channel === CHANNEL.channelId && metadata?.event_type === DAILY_EVENT_TYPE;
  });
}

/** Seeds the state(s) for `mode`, starts three replicas at once, and returns what reached Slack. */
function dailyScenario(mode: StoreMode, expectedPosts: number) {
  const resources = new Resources();
  const run = {
    slack: undefined as unknown as FakeSlack,
    replicas: [] as Replica[],
    databaseUrl: undefined as string | undefined,
    posts: [] as RecordedCall[],
  };
  beforeAll(async () => {
    run.slack = await new FakeSlack().start();
    resources.add(() => run.slack.close());
    const arxiv = await new FakeArxiv().start();
    resources.add(() => arxiv.close());
    const storage = await storageFor(mode, resources);
    run.databaseUrl = storage.url;
    const { zone, time } = passedTimeToday();
    if (storage.url) await seed({ databaseUrl: storage.url, databasePath: "" }, zone, time);
    else for (const name of NAMES) await seed({ databasePath: storage.pathFor(name) }, zone, time);
    run.replicas = await startReplicas(
      NAMES,
      (name) => ({
        ...slackEnv(run.slack, arxiv, name),
        ...storage.envFor(name),
        DAILY_CHANNELS: `slack:${CHANNEL.channelId}@${time} ${zone}`,
      }),
      resources,
    );
    await waitUntil(
      () => dailyPosts(run.slack).length >= expectedPosts,
      20_000,
      `${expectedPosts} daily post(s)`,
      () => outputs(run.replicas),
    );
    await sleep(QUIET_MS);
    run.posts = dailyPosts(run.slack);
  }, START_TIMEOUT_MS);
  afterAll(() => resources.closeAll(), 30_000);
  return run;
}

describe.skipIf(!enabled)("daily post: three app processes on one PostgreSQL database start together", () => {
  const run = dailyScenario("shared", 1);

  it("sends exactly one post, with the daily metadata, from the three start-up catch-ups", async () => {
    expect(run.posts).toHaveLength(1);
    expect(run.slack.callsTo("chat.postMessage")).toHaveLength(1);
    const [post] = run.posts;
    expect(NAMES).toContain(senderOf(post));
    expect(JSON.stringify(post?.args.blocks)).toContain(DAILY_HEADING);
    const metadata = post?.args.metadata as { event_payload?: { key?: string } } | undefined;
    const key = metadata?.event_payload?.key;
    expect(key).toMatch(/^pb-\d{8}-[0-9a-f]{6}$/);

    // The database holds one record for the day, sent, with the message the fake stored.
    const state = await openState({ databaseUrl: run.databaseUrl, databasePath: "" });
    try {
      const records = await state.daily.listPosts(CHANNEL);
      expect(records).toHaveLength(1);
      expect(records[0]?.status).toBe("sent");
      expect(records[0]?.idempotencyKey).toBe(key);
      expect(records[0]?.messageId).toBe(run.slack.messagesIn(CHANNEL.channelId)[0]?.ts);
    } finally {
      await state.close();
    }
  });
});

describe.skipIf(!enabled)("control: the same three processes, each on a SQLite file of its own", () => {
  const run = dailyScenario("separate", NAMES.length);

  it("sends one post per replica: nothing shared tells them the day is taken", () => {
    expect(run.posts).toHaveLength(NAMES.length);
    expect(run.posts.map(senderOf).sort()).toEqual([...NAMES]);
  });
});
