/**
 * A daily-post "process" for end-to-end tests: real SQLite file, manual clock, and a stable
 * DailyControl the adapters hold on to while the process behind it restarts or crashes.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Platform } from "../../src/core/command.ts";
import type { ChannelPoster, DailyControl } from "../../src/core/daily-control.ts";
import { SILENT_LOGGER } from "../../src/core/logger.ts";
import type { PaperIndex } from "../../src/core/paper-index.ts";
import { createDailyService, type DailyService } from "../../src/daily/daily-service.ts";
import type { DailyStore } from "../../src/store/daily-store.ts";
import { openSqliteDailyStore } from "../../src/store/sqlite/sqlite-daily-store.ts";
import { type ManualClock, TimeLine } from "./helpers.ts";

export class DailyProcess {
  readonly line: TimeLine;
  readonly dbPath = join(mkdtempSync(join(tmpdir(), "paperbot-e2e-")), "state.db");
  /** What the adapters are given as deps.daily: always the live process. */
  readonly control: DailyControl = { handle: (...args) => this.service.handle(...args) };
  service!: DailyService;
  private store!: DailyStore;
  private clock!: ManualClock;
  private poster: { platform: Platform; poster: ChannelPoster } | undefined;
  /** When set, the next post reaches the platform but its answer never arrives: the process died mid-send. */
  dieAfterNextSend = false;

  constructor(
    start: string,
    private readonly getPapers: () => PaperIndex,
  ) {
    this.line = new TimeLine(start);
    this.boot();
  }

  attach(platform: Platform, poster: ChannelPoster): void {
    this.poster = { platform, poster };
    this.service.setPoster(platform, this.wrap(poster));
  }

  async start(): Promise<void> {
    await this.service.start();
  }

  /** One pass of the minute job at `iso` (awaits the real network round trips). */
  async tickAt(iso: string): Promise<void> {
    this.line.now = Date.parse(iso);
    await this.service.tick();
  }

  /** The process dies where it stands; a new one starts on the same database `downMs` later. */
  async crashAndRestart(downMs: number): Promise<void> {
    this.clock.kill();
    await this.store.close();
    this.line.now += downMs;
    this.boot();
    await this.service.start();
  }

  async close(): Promise<void> {
    this.clock.kill();
    await this.store.close();
  }

  private boot(): void {
    this.store = openSqliteDailyStore(this.dbPath);
    this.clock = this.line.clock();
    this.service = createDailyService({
      store: this.store,
      getPapers: this.getPapers,
      logger: SILENT_LOGGER,
      clock: this.clock,
    });
    if (this.poster) this.service.setPoster(this.poster.platform, this.wrap(this.poster.poster));
  }

  private wrap(poster: ChannelPoster): ChannelPoster {
    return {
      post: async (channelId, reply, options) => {
        const result = await poster.post(channelId, reply, options);
        if (!this.dieAfterNextSend) return result;
        this.dieAfterNextSend = false;
        return new Promise(() => {});
      },
      wasPosted: (channelId, key) => poster.wasPosted(channelId, key),
    };
  }
}
