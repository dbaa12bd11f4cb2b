/**
 * Replicas of the real app for multi-process tests: each is the compiled `node dist/src/main.js` in a
 * child process with its own PORT, started with a clean environment (every setting the app reads
 * given explicitly, so a stray .env cannot fill one in) and waited for until GET /health answers.
 * `Resources` collects what a test opened (processes, fakes, databases, folders) and closes it in
 * reverse order, whatever failed on the way.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { freePort } from "../fixtures/free-port.ts";
import { MAIN_JS } from "../lifecycle/compiled.ts";
import { createTestDatabase } from "../store/pg-test-database.ts";

export { freePort };

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(REPO_ROOT, MAIN_JS);
const ORPHAN_GUARD = pathToFileURL(join(REPO_ROOT, "test", "replicas", "orphan-guard.ts")).href;
const HEALTH_TIMEOUT_MS = 60_000;
const OUTPUT_LIMIT = 20_000;

/**
 * Replicas still running: killed when the test process exits, should a test end without its cleanup.
 * (A test process killed outright runs no handler; orphan-guard.ts, preloaded into each replica, covers that.)
 */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/**
 * Settings main.ts (or dotenv) could pick up from elsewhere: set empty, they read as unset, and dotenv
 * never overrides a variable that exists, even an empty one.
 */
const CLEARED = [
  "DISCORD_TOKEN",
  "DISCORD_APPLICATION_ID",
  "DISCORD_GUILD_ID",
  "DISCORD_PUBLIC_KEY",
  "DISCORD_API_URL",
  "DISCORD_MENTIONS",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "SLACK_API_URL",
  "DATABASE_URL",
  "DATABASE_PATH",
  "DAILY_CHANNELS",
  "DAILY_CHANNELS_FILE",
  "DAILY_DEFAULT_TIME",
  "DAILY_TIMEZONE",
  "FOLLOW_CHANNELS",
  "FOLLOW_CHECK_MINUTES",
  "ARXIV_MIN_INTERVAL_MS",
  "METRICS_PORT",
  "LOG_FORMAT",
];

/** What every replica gets: the bundled papers, no saved index, warnings only. */
export const BASE_ENV: Readonly<Record<string, string>> = Object.freeze({
  PAPERS_PATH: "data",
  INDEX_CACHE_PATH: "off",
  LOG_LEVEL: "warn",
});

export interface Replica {
  name: string;
  port: number;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr, interleaved, capped). */
  output(): string;
  /** Sends `signal` and waits for the process to end (at once when it has ended already). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: boolean;
}

/** Starts one replica and resolves once GET /health answers 200; kills it and throws if it never does. */
export async function startReplica(
  name: string,
  env: Record<string, string>,
  port: number,
): Promise<Replica> {
  const cleared = Object.fromEntries(CLEARED.map((key) => [key, ""]));
  // tsx only loads the guard (a .ts file); the app itself runs compiled, as `npm start` runs it.
  const child = spawn(process.execPath, ["--import", "tsx", "--import", ORPHAN_GUARD, MAIN], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? tmpdir(),
      ...cleared,
      ...BASE_ENV,
      ...env,
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let output = "";
  const record = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on("data", record);
  child.stderr?.on("data", record);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      live.delete(child);
      exited = true;
      resolve();
    });
    child.once("error", (error) => {
      live.delete(child);
      output += `\nspawn failed: ${error.message}`;
      exited = true;
      resolve();
    });
  });
  const replica: Replica = {
    name,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    async kill(signal = "SIGKILL") {
      if (!exited) child.kill(signal);
      await exit;
    },
    get exited() {
      return exited;
    },
  };
  try {
    await waitForHealth(replica);
  } catch (error) {
    await replica.kill();
    throw error;
  }
  return replica;
}

async function waitForHealth(replica: Replica): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (replica.exited)
      throw new Error(`replica ${replica.name} exited before it was healthy:\n${replica.output()}`);
    try {
      const response = await fetch(`${replica.baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`replica ${replica.name} not healthy after ${HEALTH_TIMEOUT_MS} ms:\n${replica.output()}`);
}

/**
 * Starts one replica per name, all at once (as a deployment rolls them out), each on its own free
 * port. Every replica that did start is registered with `resources` before any failure is thrown.
 */
export async function startReplicas(
  names: readonly string[],
  envFor: (name: string) => Record<string, string>,
  resources: Resources,
): Promise<Replica[]> {
  const ports = await Promise.all(names.map(() => freePort()));
  const results = await Promise.allSettled(
    names.map((name, i) => startReplica(name, envFor(name), ports[i] as number)),
  );
  for (const result of results) {
    if (result.status === "fulfilled") {
      const replica = result.value;
      resources.add(() => replica.kill());
    }
  }
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((result) => (result as PromiseFulfilledResult<Replica>).value);
}

/** Things to close after a test, closed last-opened first; one failing close does not skip the others. */
export class Resources {
  private readonly closers: (() => unknown)[] = [];
  private closed = false;

  /** Registers `close`; after closeAll (a setup still running past its hook's timeout) it runs at once. */
  add(close: () => unknown): void {
    if (this.closed)
      void Promise.resolve()
        .then(close)
        .catch(() => {});
    else this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const errors: unknown[] = [];
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, "cleanup failed");
  }
}

/** Where replicas keep their state: one PostgreSQL database for all, or (the control) a SQLite file each. */
export type StoreMode = "shared" | "separate";

/**
 * The per-replica storage settings for `mode`: DATABASE_URL of a fresh test database (dropped by
 * `resources`), or DATABASE_PATH of a SQLite file of its own in a temporary folder.
 */
export async function storageFor(
  mode: StoreMode,
  resources: Resources,
): Promise<{ envFor(name: string): Record<string, string>; url?: string; pathFor(name: string): string }> {
  const folder = mkdtempSync(join(tmpdir(), "paperbot-replicas-"));
  resources.add(() => rmSync(folder, { recursive: true, force: true }));
  const pathFor = (name: string) => join(folder, `${name}.db`);
  if (mode === "separate") return { envFor: (name) => ({ DATABASE_PATH: pathFor(name) }), pathFor };
  const database = await createTestDatabase();
  resources.add(() => database.drop());
  return { envFor: () => ({ DATABASE_URL: database.url }), url: database.url, pathFor };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it gives a truthy value; the error names `what` and carries `context()`. */
export async function waitUntil<T>(
  probe: () => T | undefined | false,
  timeoutMs: number,
  what: string,
  context: () => string = () => "",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${context()}`);
    await sleep(25);
  }
}

/** The replicas' output, for failure messages. */
export function outputs(replicas: readonly Replica[]): string {
  return replicas
    .map((replica) => `--- ${replica.name} ---\n${replica.output() || "(no output)"}`)
    .join("\n");
}
