/**
 * A paper added by one process (another replica, `npx paperbot add`) reaches a running bot's
 * corpus within seconds: the bot watches the stored papers' change mark and reloads.
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { followStoredPapers, storedPaperRecords } from "../../src/arxiv/arxiv-runtime.ts";
import { LiveCorpus } from "../../src/core/corpus/live-corpus.ts";
import { SILENT_LOGGER } from "../../src/core/logger.ts";
import { openPgState } from "../../src/store/postgres/pg-state.ts";
import { openSqliteState, type State } from "../../src/store/state.ts";
import { createTestDatabase, pgSuiteEnabled } from "../store/pg-test-database.ts";
import { sampleEntry } from "../store/state-contract.ts";
import { DATA } from "./arxiv-harness.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two processes' worth of state on one database; the first runs a watching corpus. */
async function librarySyncCase(open: () => Promise<[State, State]>): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "paperbot-sync-"));
  cpSync(DATA, join(folder, "data"), { recursive: true });
  const [bot, other] = await open();
  cleanups.push(
    () => bot.close(),
    () => other.close(),
  );
  const corpus = await LiveCorpus.open(join(folder, "data"), {
    logger: SILENT_LOGGER,
    extraRecords: storedPaperRecords(bot.papers),
  });
  cleanups.push(() => corpus.close());
  const stop = followStoredPapers(bot.papers, () => corpus.reload(), SILENT_LOGGER, 250);
  cleanups.push(stop);
  await new Promise((resolve) => setTimeout(resolve, 300)); // the watcher has read the mark once
  const started = performance.now();
  await other.papers.upsert([sampleEntry("2405.12345", { title: "Replicated Paper Title" })], {
    origin: "add",
    at: 1,
  });
  while (!corpus.current().get("2405.12345") && performance.now() - started < 5000)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(corpus.current().get("2405.12345")?.title).toBe("Replicated Paper Title");
  expect(performance.now() - started).toBeLessThan(5000);
}

describe("papers added by another process", () => {
  it("reach a running bot's search within seconds (SQLite)", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "paperbot-sync-db-")), "state.db");
    await librarySyncCase(async () => [openSqliteState(path), openSqliteState(path)]);
  });
});

const pgEnabled = await pgSuiteEnabled();

describe.skipIf(!pgEnabled)("papers added by another replica (PostgreSQL)", () => {
  it("reach a running bot's search within seconds", async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    await librarySyncCase(async () => [await openPgState(database.url), await openPgState(database.url)]);
  });
});
