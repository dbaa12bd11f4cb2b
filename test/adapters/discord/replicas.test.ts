/**
 * Several replicas of the bot behind a load balancer, sharing one KeyStore (a SQLite file here, as
 * processes on one machine share it): a request may reach any of them and they answer as one bot.
 * Two adapters in this process over loopback against the fake Discord.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DiscordHttpHandle, startDiscordHttp } from "../../../src/adapters/discord/http.ts";
import type { DiscordDeps } from "../../../src/adapters/discord/types.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import type { PaperIndex } from "../../../src/core/paper-index.ts";
import { FAKE_APPLICATION_ID, FakeDiscord, type RecordedCall } from "../../fakes/discord/fake-discord.ts";
import { ALICE, buttonClick, chatInput } from "../../fakes/discord/payloads.ts";
import { keyPair, postSigned, signed } from "../../fakes/discord/signed-interaction.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { openTempKeys, type TempKeys } from "../temp-keys.ts";
import { assertWithinDiscordLimits } from "./discord-limits-check.ts";
import { interact, startGatewayBot } from "./harness.ts";

/** Too long for a custom_id, so the Next button's state goes to the KeyStore. */
const LONG_QUERY = "neural ".repeat(35).trim();

interface Answer {
  type: number;
  data?: {
    content?: string;
    embeds?: { description?: string }[];
    components?: { components: { label: string; custom_id: string }[] }[];
  };
}

function buttonId(answer: Answer, label: string): string {
  const found = answer.data?.components
    ?.flatMap((row) => row.components)
    .find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no "${label}" button in ${JSON.stringify(answer)}`);
  return found.custom_id;
}

describe("Discord HTTP interactions on two replicas sharing one KeyStore", () => {
  const app = keyPair();
  let fake: FakeDiscord;
  let shared: TempKeys;
  let index: PaperIndex;
  let commandRuns = 0;
  let replicas: DiscordHttpHandle[] = [];

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    index = await bundledIndex();
  });
  afterAll(async () => fake.stop());
  afterEach(async () => {
    for (const replica of replicas) await replica.stop();
    replicas = [];
    await shared.close();
  });

  async function startReplicas(count: number): Promise<DiscordHttpHandle[]> {
    shared = openTempKeys();
    const deps: DiscordDeps = {
      getPapers: () => {
        commandRuns++;
        return index;
      },
      logger: SILENT_LOGGER,
      keys: shared.keys,
    };
    const config = { publicKey: app.publicKeyHex, applicationId: FAKE_APPLICATION_ID, apiUrl: fake.apiUrl };
    for (let i = 0; i < count; i++)
      replicas.push(await startDiscordHttp(deps, config, 0, { host: "127.0.0.1" }));
    return replicas;
  }

  const endpoint = (replica: DiscordHttpHandle) => `http://127.0.0.1:${replica.port}/discord/interactions`;

  it("refuses with 409 an interaction replayed to replica B after replica A ran it", async () => {
    const [a, b] = (await startReplicas(2)) as [DiscordHttpHandle, DiscordHttpHandle];
    const body = JSON.stringify(chatInput("paper", { query: "2305.09088" }));
    const headers = signed(app.privateKey, body);
    const before = commandRuns;
    const first = await postSigned(endpoint(a), app.privateKey, body, headers);
    expect(first.status).toBe(200);
    expect(JSON.stringify(first.json)).toContain("2305.09088");
    const replay = await postSigned(endpoint(b), app.privateKey, body, headers);
    expect(replay.status).toBe(409);
    expect(JSON.stringify(replay.json)).not.toContain("2305.09088");
    expect(commandRuns).toBe(before + 1);
  });

  it("runs an interaction sent to both replicas at once exactly once", async () => {
    const [a, b] = (await startReplicas(2)) as [DiscordHttpHandle, DiscordHttpHandle];
    const body = JSON.stringify(chatInput("paper", { query: "2305.09088" }));
    const headers = signed(app.privateKey, body);
    const statuses = await Promise.all(
      [a, b].map(
        async (replica) => (await postSigned(endpoint(replica), app.privateKey, body, headers)).status,
      ),
    );
    expect(statuses.sort()).toEqual([200, 409]);
  });

  it("answers a click on replica B, after replica A stopped, on a button with long state A rendered", async () => {
    const [a, b] = (await startReplicas(2)) as [DiscordHttpHandle, DiscordHttpHandle];
    const search = JSON.stringify(chatInput("search", { query: LONG_QUERY }));
    const first = await postSigned<Answer>(endpoint(a), app.privateKey, search);
    expect(first.status).toBe(200);
    const next = buttonId(first.json, "Next page");
    expect(next.startsWith("pb1~")).toBe(true);
    await a.stop();
    replicas = [b];

    const click = JSON.stringify(buttonClick(next, { userId: ALICE }));
    const page2 = await postSigned<Answer>(endpoint(b), app.privateKey, click);
    expect(page2.status).toBe(200);
    assertWithinDiscordLimits(page2.json);
    const answer = page2.json;
    expect(answer.type).toBe(7);
    expect(answer.data?.content).not.toMatch(/expired/);
    expect(answer.data?.embeds?.[0]?.description).toContain("**6.**");
    // Page 2's own long-state buttons work too (here on the same replica B).
    const previous = buttonId(answer, "Previous");
    const back = await postSigned<Answer>(
      endpoint(b),
      app.privateKey,
      JSON.stringify(buttonClick(previous, { userId: ALICE })),
    );
    expect(back.json.data?.embeds?.[0]?.description).toContain("**1.**");
  });
});

describe("Discord gateway restart", () => {
  it("keeps a button with long state working in the next process on the same KeyStore", async () => {
    const shared = openTempKeys();
    const before = await startGatewayBot({ deps: { keys: shared.keys } });
    let next: string;
    try {
      const calls = await interact(before.fake, chatInput("search", { query: LONG_QUERY }));
      next = buttonId(callbackOf(calls), "Next page");
      expect(next.startsWith("pb1~")).toBe(true);
    } finally {
      await before.stop();
    }
    const after = await startGatewayBot({ deps: { keys: shared.keys } });
    try {
      const page2 = callbackOf(await interact(after.fake, buttonClick(next, { userId: ALICE })));
      expect(page2.type).toBe(7);
      expect(page2.data?.embeds?.[0]?.description).toContain("**6.**");
    } finally {
      await after.stop();
      await shared.close();
    }
  });
});

function callbackOf(calls: RecordedCall[]): Answer {
  const call = calls.find((candidate) => candidate.path.endsWith("/callback"));
  if (!call) throw new Error("no interaction callback");
  assertWithinDiscordLimits(call.body);
  return call.body as Answer;
}
