/**
 * `npm run start:sharded` with two shards against the fake gateway: the ShardingManager spawns one
 * process per shard, each identifies with its shard id, and interactions routed to either shard
 * are answered. SIGTERM stops the shards gracefully.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteState } from "../../../src/store/state.ts";
import { fixtureSubscription } from "../../daily/helpers.ts";
import { FAKE_APPLICATION_ID, FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { chatInput } from "../../fakes/discord/payloads.ts";
import { DATA_DIR } from "../../fixtures/corpus.ts";
import { SHARDED_JS } from "../../lifecycle/compiled.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const DAILY_CHANNEL = "1300000000000000001";

/** A guild id that Discord's formula (id >> 22) % count routes to `shard`. */
function guildOnShard(shard: number, count: number): string {
  let id = 1200000000000000001n;
  while (Number((id >> 22n) % BigInt(count)) !== shard) id += 1n << 22n;
  return id.toString();
}

describe("sharded start", () => {
  let fake: FakeDiscord;
  let manager: ChildProcess;
  let output = "";
  const stateFolder = mkdtempSync(join(tmpdir(), "paperbot-shards-"));

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    // A channel whose daily paper is owed today: 00:00 UTC has passed, and it has been on since 1970.
    const state = openSqliteState(join(stateFolder, "state.db"));
    await state.daily.saveSubscription(
      fixtureSubscription({ platform: "discord", channelId: DAILY_CHANNEL, time: "00:00" }),
    );
    await state.close();
    manager = spawn(process.execPath, [SHARDED_JS], {
      cwd: ROOT,
      env: {
        ...process.env,
        DISCORD_TOKEN: "test-token",
        DISCORD_APPLICATION_ID: FAKE_APPLICATION_ID,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_SHARD_COUNT: "2",
        PAPERS_PATH: DATA_DIR,
        // Every shard opens the state database for the shared button state.
        DATABASE_PATH: join(stateFolder, "state.db"),
        LOG_LEVEL: "warn",
        DISCORD_PUBLIC_KEY: "",
        SLACK_BOT_TOKEN: "",
        SLACK_SIGNING_SECRET: "",
        SLACK_APP_TOKEN: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    manager.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    manager.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    await fake.waitFor(() => fake.sessions.length >= 2, 30_000, `two shard sessions (output: ${output})`);
  }, 40_000);

  afterAll(async () => {
    if (manager && manager.exitCode === null) manager.kill("SIGKILL");
    await fake?.stop();
    rmSync(stateFolder, { recursive: true, force: true });
  });

  it("identifies each shard once, with its own shard id", () => {
    expect(fake.sessions.map((session) => session.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it("answers interactions routed to either shard", async () => {
    for (const shard of [0, 1]) {
      const payload = chatInput("paper", { query: "2305.09088" }, { guildId: guildOnShard(shard, 2) });
      fake.dispatch("INTERACTION_CREATE", payload, payload.guild_id);
      const [callback] = await fake.waitFor(() => {
        const calls = fake.callsFor(payload);
        return calls.length > 0 ? calls : undefined;
      });
      expect(callback?.body).toMatchObject({ type: 4 });
    }
  });

  it("posts the day's paper once, from the manager, through the REST API", async () => {
    await fake.waitFor(
      () => fake.messagesIn(DAILY_CHANNEL).length > 0,
      20_000,
      `a daily post (output: ${output})`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const posts = fake.messagesIn(DAILY_CHANNEL);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0])).toContain("Paper of the day");
  });

  it("stops every shard on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => manager.once("exit", (code) => resolve(code)));
    manager.kill("SIGTERM");
    expect(await exited).toBe(0);
    await fake.waitFor(
      () => fake.sessions.every((session) => session.socket.readyState !== 1),
      10_000,
      "closed sessions",
    );
  });
});
