/**
 * HTTP interactions mode: requests signed with a generated Ed25519 key pair; every bad signature
 * is refused with 401 before any command runs, and a captured request sent again runs nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordHttpHandle, startDiscordHttp } from "../../../src/adapters/discord/http.ts";
import { SILENT_LOGGER } from "../../../src/core/logger.ts";
import { FAKE_APPLICATION_ID, FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { chatInput } from "../../fakes/discord/payloads.ts";
import { keyPair, postSigned, signed } from "../../fakes/discord/signed-interaction.ts";
import { bundledIndex } from "../../fixtures/corpus.ts";
import { openTempKeys, type TempKeys } from "../temp-keys.ts";
import { assertWithinDiscordLimits } from "./discord-limits-check.ts";

describe("Discord HTTP interactions", () => {
  const app = keyPair();
  const stranger = keyPair();
  let fake: FakeDiscord;
  let handle: DiscordHttpHandle;
  let commandRuns = 0;
  let url: string;
  let keys: TempKeys;

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    keys = openTempKeys();
    const index = await bundledIndex();
    handle = await startDiscordHttp(
      {
        getPapers: () => {
          commandRuns++;
          return index;
        },
        logger: SILENT_LOGGER,
        keys: keys.keys,
      },
      { publicKey: app.publicKeyHex, applicationId: FAKE_APPLICATION_ID, apiUrl: fake.apiUrl },
      0,
      { host: "127.0.0.1" },
    );
    url = `http://127.0.0.1:${handle.port}/discord/interactions`;
  });
  afterAll(async () => {
    await handle?.stop();
    await fake?.stop();
    await keys?.close();
  });

  const post = (body: string, headers: Record<string, string>) =>
    postSigned(url, app.privateKey, body, headers);

  it("answers PING with PONG", async () => {
    const body = JSON.stringify({
      type: 1,
      id: "1",
      application_id: FAKE_APPLICATION_ID,
      token: "t",
      version: 1,
    });
    expect(await post(body, signed(app.privateKey, body))).toEqual({ status: 200, json: { type: 1 } });
  });

  it("answers a signed command in the HTTP response", async () => {
    const body = JSON.stringify(chatInput("paper", { query: "2305.09088" }));
    const { status, json } = await post(body, signed(app.privateKey, body));
    expect(status).toBe(200);
    expect(json.type).toBe(4);
    assertWithinDiscordLimits(json);
    expect(JSON.stringify(json)).toContain("https://arxiv.org/abs/2305.09088");
  });

  it("refuses forged, stale, future-dated, truncated, missing and tampered signatures without running a command", async () => {
    const body = JSON.stringify(chatInput("paper", { query: "2305.09088" }));
    const good = signed(app.privateKey, body);
    const stale = String(Math.floor(Date.now() / 1000) - 6 * 60);
    const future = String(Math.floor(Date.now() / 1000) + 2 * 60);
    const cases: Record<string, [string, Record<string, string>]> = {
      forged: [body, signed(stranger.privateKey, body)],
      stale: [body, signed(app.privateKey, body, stale)],
      "from the future": [body, signed(app.privateKey, body, future)],
      truncated: [body, { ...good, "x-signature-ed25519": good["x-signature-ed25519"].slice(0, 100) }],
      missing: [body, {}],
      "missing timestamp": [body, { "x-signature-ed25519": good["x-signature-ed25519"] }],
      "tampered body": [body.replace("2305.09088", "2305.09089"), good],
      "not hex": [body, { ...good, "x-signature-ed25519": "z".repeat(128) }],
    };
    const before = commandRuns;
    for (const [name, [payload, headers]] of Object.entries(cases)) {
      const { status } = await post(payload, headers);
      expect(status, name).toBe(401);
    }
    expect(commandRuns).toBe(before);
  });

  it("runs a signed interaction once when the same request is sent again, and answers the repeat 409", async () => {
    const body = JSON.stringify(chatInput("paper", { query: "2305.09088" }));
    const headers = signed(app.privateKey, body);
    const before = commandRuns;
    const first = await post(body, headers);
    expect(first.status).toBe(200);
    expect(commandRuns).toBe(before + 1);
    const replay = await post(body, headers);
    expect(replay.status).toBe(409);
    expect(JSON.stringify(replay.json)).not.toContain("2305.09088");
    expect(commandRuns).toBe(before + 1);
    // A new interaction (new id) for the same command still runs.
    const next = JSON.stringify(chatInput("paper", { query: "2305.09088" }));
    expect((await post(next, signed(app.privateKey, next))).status).toBe(200);
    expect(commandRuns).toBe(before + 2);
  });

  it("serves a health check", async () => {
    const response = await fetch(`http://127.0.0.1:${handle.port}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, papers: (await bundledIndex()).size });
  });

  it("refuses to post to a channel without a bot token", async () => {
    await expect(
      handle.post(
        "1",
        { kind: "message", tone: "info", text: "x", ephemeral: false },
        { idempotencyKey: "k" },
      ),
    ).rejects.toThrow(/DISCORD_TOKEN/);
  });
});
