/**
 * The state database restarting or unreachable for a while, with the bot running. A TCP proxy sits
 * between the bot's pool and the real PostgreSQL server, so only this file's own connections are cut
 * (other test files keep using the server). The bot is the real wiring, in-process: `openState` on the
 * proxy's URL, the daily and arXiv services, the live corpus and the console adapter.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../commands/index.ts";
import type { CommandContext } from "../../src/core/command.ts";
import { STATE_UNAVAILABLE_MESSAGE, StateUnavailableError } from "../../src/core/errors.ts";
import type { Reply } from "../../src/core/reply.ts";
import { fakePaper } from "../arxiv/arxiv-harness.ts";
import {
  ADMIN_URL,
  createTestDatabase,
  pgSuiteEnabled,
  type TestDatabase,
} from "../store/pg-test-database.ts";
import { type OutageBot, startOutageBot } from "./outage-bot.ts";
import { TcpProxy } from "./tcp-proxy.ts";

const enabled = await pgSuiteEnabled();

/** The pool's connect timeout today (src/store/postgres/pg-database.ts CONNECT_TIMEOUT_MS). */
/** The test URL's connect_timeout (seconds), which the pool honours. */
const POOL_CONNECT_TIMEOUT_MS = 2_000;
const START = "2026-03-02T08:50:00Z";
const at = (hhmmss: string) => Date.parse(`2026-03-02T${hhmmss}Z`);
const ADDED = fakePaper("2401.00001", "2024-01-03T10:00:00Z", { title: "Quantum widget calibration" });
const ADDED_LATER = fakePaper("2401.00002", "2024-01-04T10:00:00Z", { title: "Widget folding at scale" });

describe.skipIf(!enabled)("the state database goes away and comes back", () => {
  let proxy: TcpProxy;
  const databases: TestDatabase[] = [];
  const bots: OutageBot[] = [];

  beforeAll(async () => {
    const admin = new URL(ADMIN_URL);
    proxy = await TcpProxy.start({ host: admin.hostname, port: Number(admin.port || 5432) });
  });

  afterEach(async () => {
    await proxy.restore();
    await Promise.allSettled(bots.splice(0).map((bot) => bot.close()));
  });

  afterAll(async () => {
    await proxy?.close();
    await Promise.allSettled(databases.map((database) => database.drop()));
  });

  /** A bot on a fresh database reached through the proxy; its daily posts go to the console at 09:00 UTC. */
  async function bot(
    options: {
      poster?: Parameters<typeof startOutageBot>[1]["poster"];
      urlParams?: Record<string, string>;
    } = {},
  ): Promise<OutageBot> {
    const { poster, urlParams = {} } = options;
    const database = await createTestDatabase();
    databases.push(database);
    const url = new URL(proxy.urlFor(database.url));
    for (const [name, value] of Object.entries(urlParams)) url.searchParams.set(name, value);
    const started = await startOutageBot(url.toString(), {
      start: START,
      arxivPapers: [ADDED, ADDED_LATER],
      poster,
    });
    bots.push(started);
    expect(await started.say("/daily on 09:00 UTC")).toContain("09:00");
    return started;
  }

  /** Runs one command as a Slack or Discord adapter would: each request on its own, concurrently. */
  function command(b: OutageBot, line: string): Promise<Reply> {
    const [name = "", ...rest] = line.replace(/^\//, "").split(" ");
    const context: CommandContext = {
      invocation: { command: name, text: rest.join(" ") },
      papers: b.corpus.current(),
      platform: "console",
      user: { id: "u1", canManageChannel: true },
      channel: { id: "console" },
      now: () => new Date(b.line.now),
      random: () => 0,
      daily: b.daily,
      library: b.deps.library,
      follows: b.deps.follows,
    };
    return runCommand(context, b.logger);
  }

  it("keeps search and paper answering while PostgreSQL restarts, says 'try again shortly' for state, and recovers on its own", async () => {
    const b = await bot();
    expect(await b.say("/follow category:cs.CV")).toContain("cs.CV");
    expect(await b.say("/add 2401.00001")).toContain("Quantum widget calibration");

    await proxy.cut("refuse");
    const cutAt = performance.now();
    // Commands that need no state answer as before, stored papers included (the corpus is in memory).
    expect(await b.say("/search hessian rank")).toContain("The Hessian perspective");
    expect(await b.say("/paper 2305.09088")).toContain("Sidak Pal Singh, Thomas Hofmann");
    expect(await b.say("/search quantum widget")).toContain("Quantum widget calibration");
    // Commands that do need it say so, whether they read or write.
    expect(await b.say("/daily status")).toContain(STATE_UNAVAILABLE_MESSAGE);
    expect(await b.say("/follow list")).toContain(STATE_UNAVAILABLE_MESSAGE);
    expect(await b.say("/follow category:cs.AI")).toContain(STATE_UNAVAILABLE_MESSAGE);
    expect(await b.say("/add 2401.00002")).toContain(STATE_UNAVAILABLE_MESSAGE);
    // A corpus reload during the outage (a data file changed) keeps serving the last good corpus.
    expect(await b.corpus.reload()).toBe(false);
    expect(await b.say("/search quantum widget")).toContain("Quantum widget calibration");
    // A refused connection fails at once: no command waited for the pool's connect timeout.
    expect(performance.now() - cutAt).toBeLessThan(POOL_CONNECT_TIMEOUT_MS / 2);

    await proxy.restore();
    // The same process, nothing restarted: the pool opens new connections on demand.
    const status = await b.say("/daily status");
    expect(status).not.toContain(STATE_UNAVAILABLE_MESSAGE);
    expect(status).toContain("09:00");
    const follows = await b.say("/follow list");
    expect(follows).toContain("cs.CV");
    // Nothing half-done was kept from the outage: the follow and the paper refused then are not there.
    expect(follows).not.toContain("cs.AI");
    expect(await b.state.papers.get("2401.00002")).toBeUndefined();
    expect(await b.say("/add 2401.00002")).toContain("Widget folding at scale");
    expect(await b.say("/search widget folding")).toContain("Widget folding at scale");
    // Only warnings about the outage, never a crash logged as "command failed".
    expect(b.logger.lines.filter((entry) => entry.startsWith("error command failed"))).toEqual([]);
  });

  it("posts a daily paper that fell due during the outage exactly once after it", async () => {
    const b = await bot();
    await proxy.cut("refuse");
    // 09:00 passes with the database down: each minute's pass fails (the job service logs it), nothing is sent.
    for (const time of ["09:00:05", "09:01:05", "09:02:05"]) {
      b.line.now = at(time);
      await expect(b.daily.tick()).rejects.toThrow(StateUnavailableError);
    }
    expect(b.poster.sent).toHaveLength(0);

    await proxy.restore();
    for (const time of ["09:03:05", "09:04:05", "09:05:05", "10:00:05"]) {
      b.line.now = at(time);
      await b.daily.tick();
    }
    expect(b.poster.postsIn("console")).toHaveLength(1);
    expect(b.poster.sent[0]?.at).toBe(at("09:03:05"));
    const [record] = await b.state.daily.listPosts({ platform: "console", channelId: "console" });
    expect(record).toMatchObject({ status: "sent", day: "2026-03-02", attempts: 1 });
  });

  it("does not post twice when the database goes away between sending a post and recording it", async () => {
    // The platform takes the post, and the database dies before the bot can write "sent".
    const b = await bot({
      poster: (recording) => ({
        post: async (channelId, reply, options) => {
          const result = await recording.post(channelId, reply, options);
          await proxy.cut("refuse");
          return result;
        },
        wasPosted: (channelId, key) => recording.wasPosted(channelId, key),
      }),
    });
    b.line.now = at("09:00:05");
    await b.daily.tick();
    expect(b.poster.sent).toHaveLength(1);

    await proxy.restore();
    const [pending] = await b.state.daily.listPendingPosts();
    expect(pending).toMatchObject({ status: "claimed", attempts: 1 });
    // Every later pass: the post's lease runs out, the next attempt asks the platform first and
    // finds the message there, so it is recorded as sent without a second send.
    for (const time of ["09:00:35", "09:01:05", "09:02:05", "09:03:05", "09:30:05"]) {
      b.line.now = at(time);
      await b.daily.tick();
    }
    expect(b.poster.sent).toHaveLength(1);
    const [record] = await b.state.daily.listPosts({ platform: "console", channelId: "console" });
    expect(record).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("answers search and paper at once while the database is unreachable, and state commands once the pool gives up", {
    timeout: POOL_CONNECT_TIMEOUT_MS + 15_000,
  }, async () => {
    const b = await bot({ urlParams: { connect_timeout: String(POOL_CONNECT_TIMEOUT_MS / 1000) } });
    expect(await b.say("/follow category:cs.CV")).toContain("cs.CV");
    await proxy.cut("blackhole");
    const cutAt = performance.now();
    // Slack and Discord run each request on its own: a state command stuck connecting holds up no one else.
    const stuck = command(b, "/follow list").then((reply) => ({ reply, ms: performance.now() - cutAt }));
    const search = await command(b, "/search hessian rank");
    const paper = await command(b, "/paper 2305.09088");
    expect(performance.now() - cutAt).toBeLessThan(2000);
    expect(JSON.stringify(search)).toContain("The Hessian perspective");
    expect(JSON.stringify(paper)).toContain("Sidak Pal Singh");

    const { reply, ms } = await stuck;
    expect(reply).toMatchObject({ kind: "message", text: STATE_UNAVAILABLE_MESSAGE });
    expect(proxy.blackholed).toBeGreaterThan(0);
    // The answer waits for the pool's connect timeout (5 s by default, connect_timeout in the URL):
    // past Slack's 2 s inline budget and Discord's 3 s, so both adapters defer and follow up.
    console.log(`database black-holed: a state command answered after ${(ms / 1000).toFixed(1)} s`);
    expect(ms).toBeLessThan(POOL_CONNECT_TIMEOUT_MS + 3000);

    await proxy.restore();
    expect(JSON.stringify(await command(b, "/follow list"))).toContain("cs.CV");
  });

  // A connection that goes silent (no reset, no answer) is given up after the query timeout (10 s by
  // default; 1 s here through the URL) instead of TCP's many minutes, and reads as "try again shortly".
  it("says 'try again shortly' when a query times out on a connection that went silent", async () => {
    const b = await bot({ urlParams: { query_timeout: "1000" } });
    // Leaves an idle connection in the pool, which the next command reuses.
    expect(await b.say("/daily status")).toContain("09:00");
    await proxy.freeze();
    const started = performance.now();
    const reply = await command(b, "/daily status");
    expect(performance.now() - started).toBeLessThan(3000);
    expect(reply).toMatchObject({ kind: "message", text: STATE_UNAVAILABLE_MESSAGE });
  });
});
