/**
 * `npm run bench:replicas [-- --seconds 2 --rounds 4 --concurrency 32 --papers 1000]`
 *
 * Commands per second through one replica and through three, as the bot runs behind a load balancer:
 * real app processes (`src/main.ts`, Slack HTTP mode, Web API on the local FakeSlack) answer signed
 * `/paper search <words>` slash commands that this process sends concurrently over loopback (closed
 * loop, `--concurrency` requests in flight). Three setups, the same workload, rounds interleaved:
 * 1 replica on SQLite (the baseline), 1 replica on PostgreSQL, 3 replicas on one PostgreSQL database
 * (requests round-robin). Then the store's own cost: p50/p99 of a KeyStore `claim` and a DailyStore
 * `getSubscription`, one at a time, on SQLite and on PostgreSQL, measured in the same run.
 *
 * Needs the PostgreSQL server the tests use (PAPERBOT_TEST_DATABASE_URL, default the local one);
 * works in a throwaway database it drops at the end. Loopback only; stops by itself (hard limit 120 s).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Subscription } from "../src/store/daily-store.ts";
import { openState, type State } from "../src/store/state.ts";
import { FAKE_BOT, FakeSlack } from "../test/fakes/slack/fake-slack.ts";
import {
  ADMIN_URL,
  createTestDatabase,
  pgAvailable,
  type TestDatabase,
} from "../test/store/pg-test-database.ts";
import { type BenchQuery, ensureCorpus } from "./corpus.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const SIGNING_SECRET = "bench-signing-secret";
const HARD_LIMIT_MS = 120_000;
const START_TIMEOUT_MS = 30_000;
const WARMUP_MS = 500;
const STORE_OPS = 1000;
const STORE_WARMUP_OPS = 100;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const SECONDS = argument("seconds", 2);
const ROUNDS = argument("rounds", 4);
const CONCURRENCY = argument("concurrency", 32);
const PAPERS = argument("papers", 1000);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

// ---------------------------------------------------------------------------------------------
// Replicas: real app processes

interface Replica {
  name: string;
  port: number;
  child: ChildProcess;
  output: string[];
}

const children = new Set<ChildProcess>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    // Only what the bench sets: nothing from this shell (a DISCORD_TOKEN, a DATABASE_URL) leaks in.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? tmpdir(),
      PORT: String(port),
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(String(chunk));
    if (output.length > 50) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const replica = { name, port, child, output };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${output.join("")}`);
    if (Date.now() > deadline) throw new Error(`${name} did not answer /health in time: ${output.join("")}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) return replica;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopReplica(replica: Replica): Promise<void> {
  const { child } = replica;
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** CPU time (ms) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after "pid (comm) ".
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// Load: signed slash commands, closed loop

interface Window {
  commandsPerSecond: number;
  /** Commands per second answered by each replica of the setup. */
  perReplica: number[];
  latencies: number[];
  /** Acked empty (answer over 2 s, sent on response_url instead). */
  late: number;
  errors: number;
  /** Server CPU (all replicas of the setup) per command, ms. */
  serverCpuMsPerCommand: number;
  /** This process's CPU (the load generator), as a share of one core. */
  clientCpuShare: number;
  /** CPU of each replica outside the setup (running, sent nothing), ms per second. */
  idleCpuMsPerSecond: number;
}

function commandBody(slack: FakeSlack, index: number, words: string): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: FAKE_BOT.teamId,
    team_domain: "lab",
    channel_id: "C1",
    channel_name: "papers",
    user_id: "U1",
    user_name: "ada",
    command: "/paper",
    text: `search ${words}`,
    api_app_id: FAKE_BOT.appId,
    response_url: slack.responseUrl(`bench-${index}`),
    trigger_id: `trigger-${index}`,
  }).toString();
}

function send(
  port: number,
  agent: Agent,
  body: string,
): Promise<{ status: number; answered: boolean; empty: boolean }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return new Promise((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/slack/events",
        method: "POST",
        agent,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": signature,
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            answered: text.includes('"blocks"'),
            empty: text === "",
          }),
        );
      },
    );
    req.on("error", () => resolve({ status: 0, answered: false, empty: false }));
    req.end(body);
  });
}

let sent = 0;

async function runWindow(
  replicas: Replica[],
  idle: Replica[],
  slack: FakeSlack,
  queries: readonly string[],
  seconds = SECONDS,
): Promise<Window> {
  const agents = replicas.map(() => new Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
  const started = performance.now();
  const from = started + WARMUP_MS;
  const until = from + seconds * 1000;
  const latencies: number[] = [];
  let completed = 0;
  let late = 0;
  let errors = 0;
  const perReplica = replicas.map(() => 0);
  let next = 0;
  const cpuOf = (group: Replica[]) => group.reduce((sum, replica) => sum + cpuMsOf(replica.child.pid), 0);
  const mark = () => ({
    at: performance.now(),
    client: process.cpuUsage(),
    server: cpuOf(replicas),
    idle: cpuOf(idle),
  });
  // CPU is read at the window's edges, not after the requests still in flight at its end come back.
  let begin: ReturnType<typeof mark> | undefined;
  let end: ReturnType<typeof mark> | undefined;
  const edges = [
    setTimeout(() => (begin = mark()), from - started),
    setTimeout(() => (end = mark()), until - started),
  ];
  const worker = async () => {
    while (performance.now() < until) {
      const index = next++;
      const target = index % replicas.length;
      const body = commandBody(slack, sent++, queries[index % queries.length] as string);
      const t0 = performance.now();
      const result = await send((replicas[target] as Replica).port, agents[target] as Agent, body);
      const t1 = performance.now();
      if (t0 < from || t1 > until) continue;
      completed++;
      perReplica[target] = (perReplica[target] as number) + 1;
      latencies.push(t1 - t0);
      if (result.status !== 200 || (!result.answered && !result.empty)) errors++;
      else if (!result.answered) late++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  for (const timer of edges) clearTimeout(timer);
  for (const agent of agents) agent.destroy();
  if (!begin || !end) throw new Error("the measuring window did not run");
  const elapsedMs = end.at - begin.at;
  const clientMs = (end.client.user + end.client.system - begin.client.user - begin.client.system) / 1000;
  const serverMs = end.server - begin.server;
  const idleMs = end.idle - begin.idle;
  return {
    commandsPerSecond: completed / seconds,
    perReplica: perReplica.map((count) => count / seconds),
    latencies,
    late,
    errors,
    serverCpuMsPerCommand: serverMs / Math.max(1, completed),
    clientCpuShare: clientMs / elapsedMs,
    idleCpuMsPerSecond: idle.length ? (idleMs / idle.length / elapsedMs) * 1000 : Number.NaN,
  };
}

// ---------------------------------------------------------------------------------------------
// Store latency, one operation at a time

interface OpStats {
  p50: number;
  p99: number;
}

async function timeOps(count: number, op: (index: number) => Promise<unknown>): Promise<OpStats> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const t0 = performance.now();
    await op(index);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const SUBSCRIPTION: Subscription = {
  platform: "slack",
  channelId: "C1",
  enabled: true,
  time: "09:00",
  timeZone: "UTC",
  filters: "",
  activeFrom: 0,
  seed: "bench",
  rotation: 0,
  rotationStartedAt: 0,
  source: "chat",
  createdAt: 0,
  updatedAt: 0,
};

/** The state as the app opens it (`openState`), one operation at a time. */
async function storeLatency(state: State, run: string): Promise<{ claim: OpStats; get: OpStats }> {
  await state.daily.saveSubscription(SUBSCRIPTION);
  const channel = { platform: "slack" as const, channelId: "C1" };
  for (let index = 0; index < STORE_WARMUP_OPS; index++) {
    await state.keys.claim("bench-warmup", `${run}-${index}`, 60_000);
    await state.daily.getSubscription(channel);
  }
  const claim = await timeOps(STORE_OPS, (index) => state.keys.claim("bench", `${run}-${index}`, 60_000));
  const get = await timeOps(STORE_OPS, () => state.daily.getSubscription(channel));
  return { claim, get };
}

// ---------------------------------------------------------------------------------------------

const ms = (value: number, digits = 2) => `${value.toFixed(digits)} ms`;
const ratio = (value: number) => `x${value.toFixed(2)}`;

async function main(): Promise<void> {
  const began = performance.now();
  if (!(await pgAvailable())) {
    process.stderr.write(
      `bench:replicas needs PostgreSQL: none answers at ${new URL(ADMIN_URL).host}. ` +
        "Start it or set PAPERBOT_TEST_DATABASE_URL.\n",
    );
    process.exitCode = 1;
    return;
  }
  const { dir: corpusDir } = ensureCorpus(join(HERE, ".cache", `corpus-${PAPERS}`), PAPERS);
  const queries = (JSON.parse(readFileSync(join(corpusDir, "queries.json"), "utf8")) as BenchQuery[]).map(
    (query) => query.text,
  );
  const scratch = mkdtempSync(join(tmpdir(), "paperbot-replicas-"));
  let database: TestDatabase | undefined;
  const slack = await new FakeSlack().start();
  const replicas: Replica[] = [];
  try {
    database = await createTestDatabase();

    // 1. The store's own latency, before any replica runs.
    const sqliteState = await openState({ databasePath: join(scratch, "store.db") });
    const pgState = await openState({ databaseUrl: database.url, databasePath: "" });
    const sqliteOps = await storeLatency(sqliteState, "sqlite");
    const pgOps = await storeLatency(pgState, "pg");
    await sqliteState.close();
    await pgState.close();
    process.stderr.write(`store latency measured (${((performance.now() - began) / 1000).toFixed(1)} s)\n`);

    // 2. Four app processes: one on SQLite, three sharing the PostgreSQL database.
    const common = {
      PAPERS_PATH: corpusDir,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      // Nothing is followed, so arXiv is never asked; should it be, the request fails on loopback.
      ARXIV_API_URL: "http://127.0.0.1:9/api/query",
    };
    const pgUrl = database.url;
    replicas.push(
      ...(await Promise.all([
        startReplica("sqlite", { ...common, DATABASE_PATH: join(scratch, "replica.db") }),
        startReplica("pg-1", { ...common, DATABASE_URL: pgUrl }),
        startReplica("pg-2", { ...common, DATABASE_URL: pgUrl }),
        startReplica("pg-3", { ...common, DATABASE_URL: pgUrl }),
      ])),
    );
    process.stderr.write(`4 replicas up (${((performance.now() - began) / 1000).toFixed(1)} s)\n`);
    const [sqlite, pg1, pg2, pg3] = replicas as [Replica, Replica, Replica, Replica];
    const setups = [
      { name: "1 replica, SQLite", replicas: [sqlite] },
      { name: "1 replica, PostgreSQL", replicas: [pg1] },
      { name: "3 replicas, PostgreSQL", replicas: [pg1, pg2, pg3] },
    ];

    // 3. Rounds, each setup once per round, the order rotated so drift spreads evenly.
    await runWindow(replicas, [], slack, queries, 1); // untimed: JIT and connections warm
    const windows = new Map<string, Window[]>(setups.map((setup) => [setup.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let step = 0; step < setups.length; step++) {
        const setup = setups[(round + step) % setups.length] as (typeof setups)[number];
        const idle = replicas.filter((replica) => !setup.replicas.includes(replica));
        windows.get(setup.name)?.push(await runWindow(setup.replicas, idle, slack, queries));
      }
      process.stderr.write(
        `round ${round + 1}/${ROUNDS} (${((performance.now() - began) / 1000).toFixed(1)} s)\n`,
      );
    }

    // 4. Report.
    const summary = setups.map((setup) => {
      const runs = windows.get(setup.name) ?? [];
      const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
      return {
        name: setup.name,
        perSecond: median(runs.map((run) => run.commandsPerSecond)),
        rounds: runs.map((run) => Math.round(run.commandsPerSecond)),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        late: runs.reduce((sum, run) => sum + run.late, 0),
        errors: runs.reduce((sum, run) => sum + run.errors, 0),
        cpuPerCommand: median(runs.map((run) => run.serverCpuMsPerCommand)),
        clientShare: median(runs.map((run) => run.clientCpuShare)),
        idleCpu: median(runs.map((run) => run.idleCpuMsPerSecond)),
        perReplica: setup.replicas.map((_, index) => median(runs.map((run) => run.perReplica[index] ?? 0))),
      };
    });
    const [base, pgOne, pgThree] = summary as [
      (typeof summary)[number],
      (typeof summary)[number],
      (typeof summary)[number],
    ];
    const lines = [
      `replicas: ${PAPERS.toLocaleString("en")} papers, ${CONCURRENCY} signed "/paper search <words>" in flight, ` +
        `${ROUNDS} rounds x ${SECONDS} s per setup, ${cpus().length} cores, Node ${process.version}`,
      "",
      "| setup | commands/s (median) | rounds | p50 | p99 | late / errors | server CPU per command | load generator CPU |",
      "|---|---:|---|---:|---:|---:|---:|---:|",
      ...summary.map(
        (row) =>
          `| ${row.name} | ${Math.round(row.perSecond)} | ${row.rounds.join(", ")} | ${ms(row.p50, 1)} | ` +
          `${ms(row.p99, 1)} | ${row.late} / ${row.errors} | ${ms(row.cpuPerCommand)} | ` +
          `${Math.round(row.clientShare * 100)}% of a core |`,
      ),
      `3 replicas, each (median commands/s): ${pgThree.perReplica.map((value) => Math.round(value)).join(" / ")}. ` +
        `A running replica that is sent nothing uses ${ms(
          median(summary.flatMap((row) => (Number.isNaN(row.idleCpu) ? [] : [row.idleCpu]))),
          1,
        )} of CPU per second (median over the windows).`,
      "",
      `1 replica PostgreSQL / 1 replica SQLite (baseline): ${ratio(pgOne.perSecond / base.perSecond)} commands/s`,
      `3 replicas PostgreSQL / 1 replica PostgreSQL: ${ratio(pgThree.perSecond / pgOne.perSecond)} commands/s`,
      `3 replicas PostgreSQL / 1 replica SQLite (baseline): ${ratio(pgThree.perSecond / base.perSecond)} commands/s`,
      "",
      `store, one operation at a time (${STORE_OPS} each, after ${STORE_WARMUP_OPS} untimed):`,
      "",
      "| operation | SQLite p50 / p99 | PostgreSQL p50 / p99 | PostgreSQL / SQLite (p50) |",
      "|---|---:|---:|---:|",
      `| KeyStore claim | ${ms(sqliteOps.claim.p50, 3)} / ${ms(sqliteOps.claim.p99, 3)} | ` +
        `${ms(pgOps.claim.p50, 3)} / ${ms(pgOps.claim.p99, 3)} | ${ratio(pgOps.claim.p50 / sqliteOps.claim.p50)} |`,
      `| DailyStore getSubscription | ${ms(sqliteOps.get.p50, 3)} / ${ms(sqliteOps.get.p99, 3)} | ` +
        `${ms(pgOps.get.p50, 3)} / ${ms(pgOps.get.p99, 3)} | ${ratio(pgOps.get.p50 / sqliteOps.get.p50)} |`,
      "",
      `total ${((performance.now() - began) / 1000).toFixed(1)} s; load average ${loadavg()
        .map((value) => value.toFixed(1))
        .join(" ")}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await Promise.allSettled(replicas.map(stopReplica));
    await slack.close();
    await database?.drop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Stops by itself whatever happens: a stuck replica or server cannot keep the bench running.
const hardStop = setTimeout(() => {
  process.stderr.write(`bench:replicas stopped after ${HARD_LIMIT_MS / 1000} s\n`);
  for (const child of children) child.kill("SIGKILL");
  process.exit(1);
}, HARD_LIMIT_MS);
hardStop.unref();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

await main();
