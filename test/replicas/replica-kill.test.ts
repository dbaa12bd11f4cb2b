/**
 * A replica dies (SIGKILL) in the middle of a burst of 60 signed Slack slash commands spread round
 * robin over three replicas of the real app (`src/main.ts` processes, Slack HTTP mode, one
 * PostgreSQL database), with requests of its own in flight (it is frozen with SIGSTOP for the few
 * requests before the kill, so they are still unanswered when it dies). The load balancer in front sends a request whose connection replica B
 * refused (it never reached B) to the next replica, as proxies do, and gives up on one B dropped
 * mid-request (it may have run there). Every request a replica accepted is answered exactly once,
 * in the ack body or on its response_url; nothing is answered twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeArxiv } from "../fakes/arxiv/fake-arxiv.ts";
import { FAKE_BOT, FakeSlack } from "../fakes/slack/fake-slack.ts";
import { pgSuiteEnabled } from "../store/pg-test-database.ts";
import {
  outputs,
  type Replica,
  Resources,
  sleep,
  startReplicas,
  storageFor,
  waitUntil,
} from "./replica-process.ts";
import { senderTo, slackEnv } from "./slack-env.ts";

const enabled = await pgSuiteEnabled();

const REQUESTS = 60;
/** B is killed just before request KILL_AT is sent (in the middle of the burst). */
const KILL_AT = 30;
/**
 * From request STOP_AT on, B is frozen (SIGSTOP) until the kill, as a replica stuck in a long pause
 * before the orchestrator kills it: requests sent to it then are in flight when it dies.
 */
const STOP_AT = KILL_AT - 6;
const SPACING_MS = 20;
const REQUEST_TIMEOUT_MS = 15_000;
const QUIET_MS = 2_000;
const TEXTS = [
  "search hessian",
  "random",
  "2305.09088",
  "ask which paper is about forgetting?",
  "daily status",
  "search lottery tickets year:2023",
];

interface Outcome {
  index: number;
  /** The replicas the request was sent to, in order (a second one after a refused connection). */
  sentTo: string[];
  /** True when sent to B after B was killed. */
  afterKill: boolean;
  status?: number;
  /** The ack body: a non-empty one is the answer itself. */
  body?: string;
  /** Why the last attempt got no HTTP answer. */
  error?: string;
  responseUrl: string;
}

function commandFields(slack: FakeSlack, index: number): Record<string, string> {
  return {
    token: "legacy-verification-token",
    team_id: FAKE_BOT.teamId,
    team_domain: "lab",
    channel_id: "C5",
    channel_name: "papers",
    user_id: `U${100 + index}`,
    user_name: `user${index}`,
    command: "/paper",
    text: TEXTS[index % TEXTS.length] ?? "help",
    api_app_id: FAKE_BOT.appId,
    response_url: slack.responseUrl(`burst-${index}`),
    trigger_id: `trigger-burst-${index}`,
  };
}

/** The request's answer, or an error once REQUEST_TIMEOUT_MS has passed without one. */
async function withTimeout<T>(work: Promise<T>, who: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from ${who} in ${REQUEST_TIMEOUT_MS} ms`)),
      REQUEST_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every answer a request got: the ack body when it holds one, and each use of its response_url. */
function answerTexts(slack: FakeSlack, outcome: Outcome): string[] {
  const inline = outcome.status === 200 && outcome.body ? [outcome.body] : [];
  return [
    ...inline,
    ...slack.responsesTo(outcome.responseUrl).map((response) => JSON.stringify(response.body)),
  ];
}

function refused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === "ECONNREFUSED";
}

describe.skipIf(!enabled)("a replica killed during a burst of slash commands", () => {
  const resources = new Resources();
  let slack: FakeSlack;
  let replicas: Replica[] = [];
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    resources.add(() => slack.close());
    const arxiv = await new FakeArxiv().start();
    resources.add(() => arxiv.close());
    const storage = await storageFor("shared", resources);
    replicas = await startReplicas(
      ["a", "b", "c"],
      (name) => ({ ...slackEnv(slack, arxiv, name), ...storage.envFor(name) }),
      resources,
    );
  }, 120_000);
  afterAll(() => resources.closeAll(), 30_000);

  /** Sends one command to `replica`; on a refused connection, once more to `fallback`. */
  async function send(outcome: Outcome, fields: Record<string, string>, replica: Replica, fallback: Replica) {
    for (const target of [replica, fallback]) {
      outcome.sentTo.push(target.name);
      try {
        const response = await withTimeout(senderTo(target).command(fields), target.name);
        outcome.status = response.status;
        outcome.body = await response.text();
        outcome.error = undefined;
        return;
      } catch (error) {
        outcome.error = String((error as { cause?: unknown }).cause ?? error);
        if (!refused(error)) return;
      }
    }
  }

  const answersTo = (outcome: Outcome) => answerTexts(slack, outcome).length;

  it("answers every request the live replicas accepted exactly once, and none twice", async () => {
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    const started = Date.now();
    const sends: Promise<void>[] = [];
    for (let index = 0; index < REQUESTS; index++) {
      if (index === STOP_AT) b.child.kill("SIGSTOP");
      // Requests already sent keep running on every replica while B dies.
      if (index === KILL_AT) await b.kill("SIGKILL");
      const replica = replicas[index % replicas.length] as Replica;
      const fields = commandFields(slack, index);
      const outcome: Outcome = {
        index,
        sentTo: [],
        afterKill: replica === b && index >= KILL_AT,
        responseUrl: fields.response_url ?? "",
      };
      outcomes.push(outcome);
      // The load balancer's next replica after B is C.
      sends.push(send(outcome, fields, replica, replica === b ? c : a));
      await sleep(SPACING_MS);
    }
    await Promise.all(sends);
    expect(b.child.signalCode).toBe("SIGKILL");
    const burstMs = Date.now() - started;

    const report = () =>
      `${JSON.stringify(
        outcomes.map(({ body, ...rest }) => ({ ...rest, inline: Boolean(body), answers: answersTo(rest) })),
        null,
        1,
      )}\n${outputs(replicas)}`;
    // Acks without an answer in them are answered on response_url a little later.
    const accepted = outcomes.filter((outcome) => outcome.status === 200);
    await waitUntil(
      () => accepted.every((outcome) => answersTo(outcome) >= 1 || outcome.sentTo.at(-1) === "b"),
      10_000,
      "an answer to every accepted request",
      report,
    );
    await sleep(QUIET_MS);

    // The kill happened mid-burst: B took requests before it; every one after it was refused and
    // went on to C.
    const toB = outcomes.filter((outcome) => outcome.sentTo[0] === "b");
    expect(
      toB.filter((outcome) => !outcome.afterKill && outcome.status === 200).length,
      report(),
    ).toBeGreaterThan(0);
    const frozen = toB.filter((outcome) => outcome.index >= STOP_AT && !outcome.afterKill);
    expect(frozen.length).toBeGreaterThan(0);
    for (const outcome of frozen) expect(outcome.status, report()).toBeUndefined();
    const afterKill = toB.filter((outcome) => outcome.afterKill);
    expect(afterKill).toHaveLength(REQUESTS / 3 - KILL_AT / 3);
    for (const outcome of afterKill) expect(outcome.sentTo, report()).toEqual(["b", "c"]);

    for (const outcome of outcomes) {
      const answeredBy = outcome.sentTo.at(-1);
      if (answeredBy === "a" || answeredBy === "c") {
        // Accepted by a live replica: answered exactly once.
        expect(outcome.status, report()).toBe(200);
        expect(answersTo(outcome), `request ${outcome.index}\n${report()}`).toBe(1);
      } else if (outcome.status === undefined) {
        // In flight to B when it died, and not sent on (it may have run there): no answer from anyone.
        expect(answersTo(outcome), `request ${outcome.index}\n${report()}`).toBe(0);
      } else {
        // Accepted by B before the kill: answered at most once (B may have died before its follow-up).
        expect(answersTo(outcome), `request ${outcome.index}\n${report()}`).toBeLessThanOrEqual(1);
      }
    }
    // The answers are the commands' own, not "try again" notices from a store the kill disturbed.
    for (const outcome of outcomes)
      for (const text of answerTexts(slack, outcome))
        expect(text, `request ${outcome.index}`).not.toMatch(/try again|went wrong/i);
    // Every answer on the fake belongs to one request, once; slash commands never post to the channel.
    const urls = slack.responses.map((response) => response.id);
    expect(new Set(urls).size, report()).toBe(urls.length);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(0);
    expect(
      outcomes.filter((outcome) => outcome.sentTo.length > 1).every((outcome) => outcome.sentTo[1] === "c"),
    ).toBe(true);

    // The survivors are still healthy and still answer.
    for (const replica of [a, c]) expect((await fetch(`${replica.baseUrl}/health`)).status).toBe(200);
    const after = commandFields(slack, REQUESTS);
    const last = await senderTo(c).command(after);
    expect(last.status).toBe(200);
    console.log(
      `burst of ${REQUESTS} over 3 replicas, B killed before #${KILL_AT}: ${burstMs} ms; ` +
        `${accepted.length} accepted, ${outcomes.filter((outcome) => outcome.sentTo.length > 1).length} failed over to C, ` +
        `${outcomes.filter((outcome) => outcome.status === undefined).length} dropped`,
    );
  }, 60_000);
});
