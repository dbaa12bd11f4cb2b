/**
 * The state contract and the database's own duties (migrations, refusing a newer schema, surviving
 * dropped connections) on a real PostgreSQL server. Each contract case gets its own schema in this
 * file's throwaway database, through search_path, as a deployment into a named schema would.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../../src/core/logger.ts";
import { migratePg, openPgPool } from "../../src/store/postgres/pg-database.ts";
import { PG_SCHEMA_VERSION } from "../../src/store/postgres/pg-schema.ts";
import { openPgState } from "../../src/store/postgres/pg-state.ts";
import type { State } from "../../src/store/state.ts";
import { StoreError } from "../../src/store/store-error.ts";
import { createTestDatabase, pgSuiteEnabled, type TestDatabase, withPgClient } from "./pg-test-database.ts";
import { stateContract } from "./state-contract.ts";

const enabled = await pgSuiteEnabled();

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return { lines, debug: () => {}, info: record("info"), warn: record("warn"), error: record("error") };
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!enabled)("PostgreSQL", () => {
  let database: TestDatabase;
  let schemas = 0;
  const opened: State[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    // Cases close their states; these closes catch the ones a failing case left open.
    await Promise.all(opened.map((state) => state.close()));
    await database?.drop();
  });

  /** Runs `work` as the test server's admin, in the test database. */
  function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    return withPgClient({ connectionString: database.url }, work);
  }

  /** A new, empty schema in the test database, and the URL that works in it. */
  async function freshSchema(): Promise<{ schema: string; url: string }> {
    const schema = `case_${++schemas}`;
    await asAdmin((client) => client.query(`CREATE SCHEMA ${schema}`));
    const url = new URL(database.url);
    url.searchParams.set("options", `-c search_path=${schema}`);
    return { schema, url: url.toString() };
  }

  async function freshSchemaUrl(): Promise<string> {
    return (await freshSchema()).url;
  }

  stateContract("PostgreSQL", async () => {
    const url = await freshSchemaUrl();
    const one = await openPgState(url);
    const two = await openPgState(url);
    opened.push(one, two);
    return [one, two];
  });

  describe("database", () => {
    it("runs each migration once when five replicas migrate a fresh database at the same moment", async () => {
      const fresh = await createTestDatabase();
      const logger = recordingLogger();
      const pools = Array.from({ length: 5 }, () => openPgPool(fresh.url, logger));
      try {
        // Connected first, so the five migrations start together rather than in connection order.
        await Promise.all(pools.map((pool) => pool.query("SELECT 1")));
        const results = await Promise.allSettled(pools.map((pool) => migratePg(pool)));
        expect(results.filter((result) => result.status === "rejected")).toEqual([]);
        const { rows } = await (pools[0] as pg.Pool).query(
          "SELECT version FROM paperbot_schema_migrations ORDER BY version",
        );
        expect(rows.map((row) => row.version)).toEqual(
          Array.from({ length: PG_SCHEMA_VERSION }, (_, index) => index + 1),
        );
        expect(logger.lines).toEqual([]);
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
        await fresh.drop();
      }
    });

    it("refuses a database with a newer schema instead of using or downgrading it", async () => {
      const url = await freshSchemaUrl();
      const state = await openPgState(url);
      await state.close();
      const pool = openPgPool(url);
      try {
        await pool.query("INSERT INTO paperbot_schema_migrations (version) VALUES ($1)", [
          PG_SCHEMA_VERSION + 1,
        ]);
        const opening = openPgState(url);
        await expect(opening).rejects.toThrow(StoreError);
        await expect(opening).rejects.toThrow(/newer than this paperbot knows.*DATABASE_URL/);
        const { rows } = await pool.query("SELECT MAX(version) AS version FROM paperbot_schema_migrations");
        expect(rows[0]?.version).toBe(PG_SCHEMA_VERSION + 1);
      } finally {
        await pool.end();
      }
    });

    it("opens a migrated database as a role that may only read and write data", async () => {
      const { schema, url } = await freshSchema();
      await (await openPgState(url)).close();
      const role = `paperbot_test_app_${process.pid}_${schemas}`;
      await asAdmin(async (client) => {
        await client.query(`CREATE ROLE ${role} LOGIN PASSWORD 'app'`);
        await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
        await client.query(
          `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
        );
        await client.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
      });
      try {
        const asApp = new URL(url);
        asApp.username = role;
        asApp.password = "app";
        const state = await openPgState(asApp.toString());
        opened.push(state);
        expect(await state.keys.claim("events", "Ev1", 60_000)).toBe(true);
        expect(
          await state.follows.addFollow({
            platform: "slack",
            channelId: "C1",
            filters: "x",
            source: "chat",
            createdAt: 0,
            nextCheckAt: 0,
          }),
        ).toMatchObject({ filters: "x" });
        await state.close();
      } finally {
        await asAdmin(async (client) => {
          await client.query(`DROP OWNED BY ${role}`);
          await client.query(`DROP ROLE ${role}`);
        });
      }
    });

    it("says which server it could not reach, without the password", async () => {
      await expect(openPgState("postgres://paperbot:s3cret@127.0.0.1:1/nowhere")).rejects.toThrow(
        /^PostgreSQL at 127\.0\.0\.1:1\/nowhere \(DATABASE_URL\) could not be opened: (?!.*s3cret)/,
      );
    });

    it("keeps working after the server ends its connections", async () => {
      const logger = recordingLogger();
      const pool = openPgPool(await freshSchemaUrl(), logger);
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        await migratePg(pool);
        await Promise.all([pool.query("SELECT pg_sleep(0.05)"), pool.query("SELECT pg_sleep(0.05)")]);
        expect(pool.idleCount).toBe(2);
        const { rows } = await admin.query(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
           WHERE datname = $1 AND application_name = 'paperbot'`,
          [database.name],
        );
        expect(rows.length).toBeGreaterThanOrEqual(2);
        // The pool hears of each lost connection on its own, drops it, and tells the logger.
        await waitFor(() => pool.totalCount === 0);
        expect(logger.lines.filter((line) => line.startsWith("warn PostgreSQL dropped"))).toHaveLength(2);
        const { rows: after } = await pool.query("SELECT 1 AS one");
        expect(after).toEqual([{ one: 1 }]);
      } finally {
        await admin.end();
        await pool.end();
      }
    });
  });
});
