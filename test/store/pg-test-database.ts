/**
 * Throwaway PostgreSQL databases for tests, on a real server (never a mock): the server at
 * PAPERBOT_TEST_DATABASE_URL, or a local one reached as `postgres`. Each test file creates its own
 * database and drops it afterwards, so files run in parallel and leave nothing behind.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const ADMIN_URL =
  process.env.PAPERBOT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const PROBE_TIMEOUT_MS = 2_000;

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Runs `work` on a client of its own, connected for it and ended afterwards whatever happens. */
export async function withPgClient<T>(
  config: pg.ClientConfig,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withPgClient({ connectionString: ADMIN_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS }, work);
}

/** Why the admin URL does not answer (or let us in), or undefined when it does. */
async function probe(): Promise<string | undefined> {
  try {
    await withAdmin((client) => client.query("SELECT 1"));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  }
}

/** True when the admin URL answers (and lets us in). */
export async function pgAvailable(): Promise<boolean> {
  return (await probe()) === undefined;
}

/** CI=true (or any value but "false"/"0"), as CI services set it. */
function runningInCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

/**
 * Whether a PostgreSQL suite should run. Without a server it is skipped with one line saying how to
 * run it, except under CI, where a missing server must fail the run rather than pass it silently.
 */
export async function pgSuiteEnabled(): Promise<boolean> {
  const problem = await probe();
  if (problem === undefined) return true;
  const where = `${new URL(ADMIN_URL).host} (${problem})`;
  if (runningInCi()) {
    throw new Error(
      `PostgreSQL tests cannot run: no usable server at ${where}, and CI must run them. ` +
        "Start PostgreSQL (see .ci/run) or set PAPERBOT_TEST_DATABASE_URL.",
    );
  }
  console.log(
    `PostgreSQL tests skipped: no usable server at ${where}; set PAPERBOT_TEST_DATABASE_URL or start PostgreSQL to run them`,
  );
  return false;
}

/** A new, empty database on the test server; `drop()` removes it, closing any connection still on it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `paperbot_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdmin(async (client) => {
        await client.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [name],
        );
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
      }),
  };
}
