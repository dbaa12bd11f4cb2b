/**
 * Three replicas of the real app (`src/main.ts` processes) in Discord HTTP interactions mode behind
 * a pretend load balancer, all on one PostgreSQL database: a button whose state is too long for its
 * custom_id (so it lives in the shared key store) works when the click reaches another replica, and
 * a signed interaction replayed to another replica is refused. The control runs the same scenario
 * with each replica on a SQLite file of its own: there the click says "expired" and the replay runs
 * the command again, so the shared store is what makes the first pass.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUTTON_EXPIRED } from "../../src/adapters/discord/interaction-handler.ts";
import { FakeArxiv } from "../fakes/arxiv/fake-arxiv.ts";
import { FAKE_APPLICATION_ID, FakeDiscord } from "../fakes/discord/fake-discord.ts";
import { ALICE, buttonClick, chatInput, type InteractionPayload } from "../fakes/discord/payloads.ts";
import { keyPair, postSigned, signed } from "../fakes/discord/signed-interaction.ts";
import { pgSuiteEnabled } from "../store/pg-test-database.ts";
import {
  outputs,
  type Replica,
  Resources,
  type StoreMode,
  startReplicas,
  storageFor,
} from "./replica-process.ts";

const enabled = await pgSuiteEnabled();

/** 244 characters: far past the 100 of a custom_id, so the Next button's state must be stored. */
const LONG_QUERY = "neural ".repeat(35).trim();
const START_TIMEOUT_MS = 120_000;
const CHANNEL_MESSAGE = 4;
const DEFERRED = new Set([5, 6]);
const UPDATE_MESSAGE = 7;

interface AnswerData {
  content?: string;
  flags?: number;
  embeds?: { description?: string }[];
  components?: { components: { label?: string; custom_id?: string }[] }[];
}

interface Answer {
  type: number;
  data?: AnswerData;
}

function buttonId(data: AnswerData | undefined, label: string): string {
  const found = data?.components?.flatMap((row) => row.components).find((button) => button.label === label);
  if (!found?.custom_id) throw new Error(`no "${label}" button in ${JSON.stringify(data)}`);
  return found.custom_id;
}

function replicaSet(mode: StoreMode) {
  const resources = new Resources();
  const app = keyPair();
  const set = {
    app,
    fake: undefined as unknown as FakeDiscord,
    replicas: [] as Replica[],
    endpoint: (replica: Replica | undefined) => `${replica?.baseUrl}/discord/interactions`,
  };
  beforeAll(async () => {
    set.fake = await new FakeDiscord().start();
    resources.add(() => set.fake.stop());
    const arxiv = await new FakeArxiv().start();
    resources.add(() => arxiv.close());
    const storage = await storageFor(mode, resources);
    set.replicas = await startReplicas(
      ["a", "b", "c"],
      (name) => ({
        DISCORD_PUBLIC_KEY: app.publicKeyHex,
        DISCORD_APPLICATION_ID: FAKE_APPLICATION_ID,
        DISCORD_TOKEN: "test-token",
        DISCORD_API_URL: set.fake.apiUrl,
        ARXIV_API_URL: arxiv.apiUrl,
        ...storage.envFor(name),
      }),
      resources,
    );
  }, START_TIMEOUT_MS);
  afterAll(() => resources.closeAll(), 30_000);
  return set;
}

/**
 * The message an interaction's answer shows: the HTTP response itself, or, when the replica
 * deferred (type 5/6, a slow first run), the edit it then sent through the webhook.
 */
async function shown(
  fake: FakeDiscord,
  interaction: InteractionPayload,
  answer: Answer,
): Promise<{ type: number; data?: AnswerData }> {
  if (!DEFERRED.has(answer.type)) return answer;
  const edit = await fake.waitFor(
    () => fake.callsFor(interaction).find((call) => call.method === "PATCH"),
    10_000,
    `the deferred edit for ${interaction.id}`,
  );
  return { type: answer.type === 5 ? CHANNEL_MESSAGE : UPDATE_MESSAGE, data: edit.body as AnswerData };
}

/** A long /search on A; its signed request replayed to C; its Next button clicked on B. */
async function scenario(set: ReturnType<typeof replicaSet>) {
  const [a, b, c] = set.replicas;
  const search = chatInput("search", { query: LONG_QUERY });
  const body = JSON.stringify(search);
  const headers = signed(set.app.privateKey, body);
  const first = await postSigned<Answer>(set.endpoint(a), set.app.privateKey, body, headers);
  expect(first.status, outputs(set.replicas)).toBe(200);
  const page1 = await shown(set.fake, search, first.json);
  const next = buttonId(page1.data, "Next page");

  const replay = await postSigned<Answer>(set.endpoint(c), set.app.privateKey, body, headers);

  const click = buttonClick(next, { userId: ALICE });
  const clicked = await postSigned<Answer>(set.endpoint(b), set.app.privateKey, JSON.stringify(click));
  expect(clicked.status, outputs(set.replicas)).toBe(200);
  return { page1, next, replay, page2: await shown(set.fake, click, clicked.json) };
}

describe.skipIf(!enabled)("Discord HTTP interactions: three app processes on one PostgreSQL database", () => {
  const set = replicaSet("shared");
  let result: Awaited<ReturnType<typeof scenario>>;

  beforeAll(async () => {
    result = await scenario(set);
  }, 30_000);

  it("answers on replica B a click on a Next button with stored (long) state that replica A rendered", () => {
    expect(result.page1.data?.embeds?.[0]?.description).toContain("**1.**");
    expect(result.next.startsWith("pb1~")).toBe(true); // stored, not inline: the query cannot fit
    expect(result.page2.type).toBe(UPDATE_MESSAGE);
    expect(result.page2.data?.content ?? "").not.toMatch(/expired/i);
    expect(result.page2.data?.embeds?.[0]?.description).toContain("**6.**");
  });

  it("refuses (409) on replica C a replay of the signed interaction replica A ran", () => {
    expect(result.replay.status).toBe(409);
    expect(JSON.stringify(result.replay.json)).not.toContain("**1.**");
  });
});

describe.skipIf(!enabled)("control: the same three processes, each on a SQLite file of its own", () => {
  const set = replicaSet("separate");
  let result: Awaited<ReturnType<typeof scenario>>;

  beforeAll(async () => {
    result = await scenario(set);
  }, 30_000);

  it('answers "expired" on replica B: the button state A stored is not in B\'s store', () => {
    expect(result.next.startsWith("pb1~")).toBe(true);
    expect(result.page2.type).toBe(CHANNEL_MESSAGE);
    expect(result.page2.data?.content).toBe(BUTTON_EXPIRED);
  });

  it("runs the command again for a replay sent to replica C", () => {
    expect(result.replay.status).toBe(200);
    expect(JSON.stringify(result.replay.json)).toMatch(/"type":[45]/);
  });
});
