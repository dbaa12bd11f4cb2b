/** A daily-post "process" on a real SQLite file with a manual clock, restartable, for service tests. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { SILENT_LOGGER } from "../../src/core/logger.ts";
import type { PaperIndex } from "../../src/core/paper-index.ts";
import type { MessageReply } from "../../src/core/reply.ts";
import { readDailyConfig } from "../../src/daily/daily-config.ts";
import { createDailyService, type DailyService } from "../../src/daily/daily-service.ts";
import type { DailyStore } from "../../src/store/daily-store.ts";
import { openSqliteDailyStore } from "../../src/store/sqlite/sqlite-daily-store.ts";
import { fixtureIndex, type ManualClock, RecordingPoster, TimeLine } from "./helpers.ts";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DISCORD = { platform: "discord" as const, channelId: "111" };
export const MANAGER = { id: "u1", canManageChannel: true };
export const MEMBER = { id: "u2", canManageChannel: false };

export interface Harness {
  line: TimeLine;
  poster: RecordingPoster;
  store: DailyStore;
  service: DailyService;
  papers: { current: PaperIndex };
  dbPath: string;
  clock: ManualClock;
  /** Graceful stop, then a new process on the same database. */
  restart(): Promise<void>;
  /** The process dies where it stands (timers gone, sends never answered), then a new one starts. */
  crashAndRestart(): Promise<void>;
}

const open: Harness[] = [];

export async function harness(
  start: string,
  options: { papers?: PaperIndex; env?: Record<string, string> } = {},
): Promise<Harness> {
  const line = new TimeLine(start);
  const dbPath = join(mkdtempSync(join(tmpdir(), "paperbot-daily-")), "state.db");
  const papers = { current: options.papers ?? fixtureIndex(5) };
  const poster = new RecordingPoster(() => line.now);
  const make = () => {
    const store = openSqliteDailyStore(dbPath);
    const clock = line.clock();
    const service = createDailyService({
      store,
      getPapers: () => papers.current,
      logger: SILENT_LOGGER,
      clock,
      posters: { discord: poster, slack: poster },
      config: readDailyConfig(options.env ?? {}),
    });
    return { store, service, clock };
  };
  const h: Harness = {
    line,
    poster,
    papers,
    dbPath,
    ...make(),
    async restart() {
      await h.service.stop();
      await h.store.close();
      Object.assign(h, make());
      await h.service.start();
    },
    async crashAndRestart() {
      h.clock.kill();
      await h.store.close();
      Object.assign(h, make());
      await h.service.start();
    },
  };
  await h.service.start();
  open.push(h);
  return h;
}

afterEach(async () => {
  for (const h of open.splice(0)) {
    h.clock.kill();
    await h.store.close();
  }
});

export function text(reply: unknown): string {
  const message = reply as MessageReply;
  return `${message.text}\n${message.hint ?? ""}`;
}
