/**
 * One paperbot "replica" for the multi-process test: the real daily service on a shared SQLite
 * file, posting through HTTP to the test's recording platform. Argv: database path, platform URL,
 * the instant (ISO) its clock starts at, the wall-clock ms at which all replicas tick together, and
 * optionally delivery limits as JSON, the number of ticks and the pause between them (ms).
 */
import { SILENT_LOGGER } from "../../src/core/logger.ts";
import { createDailyService } from "../../src/daily/daily-service.ts";
import { openSqliteDailyStore } from "../../src/store/sqlite/sqlite-daily-store.ts";
import { fixtureIndex } from "./helpers.ts";
import { recordingPoster } from "./recording-platform.ts";
import { readyThenGo } from "./replicas-together.ts";

const [dbPath = "", platformUrl = "", startIso = "", limits = "{}", ticks = "4", gapMs = "50"] =
  process.argv.slice(2);
const booted = Date.now();
const papers = fixtureIndex(20);
const store = openSqliteDailyStore(dbPath);
const service = createDailyService({
  store,
  getPapers: () => papers,
  logger: SILENT_LOGGER,
  now: () => new Date(Date.parse(startIso) + (Date.now() - booted)),
  posters: { slack: recordingPoster(platformUrl) },
  limits: JSON.parse(limits),
});

await readyThenGo();
for (let tick = 0; tick < Number(ticks); tick++) {
  await service.tick();
  await new Promise((resolve) => setTimeout(resolve, Number(gapMs)));
}
await service.stop();
await store.close();
