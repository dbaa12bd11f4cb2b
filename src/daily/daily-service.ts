/**
 * Daily paper posts: the DailyControl behind `/daily`, plus the job that posts. Wiring:
 *   const store = openSqliteDailyStore(config.databasePath, logger);
 *   const daily = createDailyService({ store, getPapers, logger, config: readDailyConfig(process.env) });
 *   // pass `daily` to the adapters as deps.daily, then give it their posters:
 *   daily.setPoster("discord", discordHandle);
 *   await daily.start();            // seeds DAILY_CHANNELS, catches up today's missed posts, ticks each minute
 *   ...; await daily.stop(); await store.close();
 */
import type { Platform } from "../core/command.ts";
import type { ChannelPoster, DailyChannel, DailyControl } from "../core/daily-control.ts";
import type { Logger } from "../core/logger.ts";
import type { BotMetrics } from "../core/metrics.ts";
import type { PaperIndex } from "../core/paper-index.ts";
import type { Reply } from "../core/reply.ts";
import { channelKey, type DailyStore } from "../store/daily-store.ts";
import { type Clock, SYSTEM_CLOCK } from "./clock.ts";
import { DailyCommands, type DailyUser, newSubscription } from "./daily-commands.ts";
import { type DailyConfig, DEFAULT_DAILY_CONFIG } from "./daily-config.ts";
import { DailyEngine, DEFAULT_DELIVERY_LIMITS, type DeliveryLimits } from "./daily-engine.ts";
import { type Job, JobService } from "./job-service.ts";

export interface DailyServiceDeps {
  store: DailyStore;
  getPapers: () => PaperIndex;
  logger: Logger;
  /** Platform adapters' handles; more can be added with setPoster once adapters are up. */
  posters?: Partial<Record<Platform, ChannelPoster>>;
  config?: Partial<DailyConfig>;
  /** Time source; `clock` (which also sets timers) wins when both are given. */
  now?: () => Date;
  clock?: Clock;
  limits?: Partial<DeliveryLimits>;
  metrics?: BotMetrics;
  /**
   * Another process runs the schedule (the sharding manager for its shards): this one only answers
   * `/daily` and sends `/daily now`, and its replies promise what that schedule will do.
   */
  scheduledElsewhere?: boolean;
}

export interface DailyService extends DailyControl {
  setPoster(platform: Platform, poster: ChannelPoster): void;
  /** Applies seeded subscriptions, posts anything owed today (catch-up), then checks every minute. */
  start(): Promise<void>;
  /** Stops the schedule and waits briefly for sends in progress. Does not close the store. */
  stop(): Promise<void>;
  /** One pass of the posting job (what the minute schedule runs). */
  tick(): Promise<void>;
}

/** Checked every minute: a post is due when its channel's local time has come, whatever the zone. */
export const DAILY_JOB_SCHEDULE = "* * * * *";
const SHUTDOWN_WAIT_MS = 10_000;

export function createDailyService(deps: DailyServiceDeps): DailyService {
  const config: DailyConfig = { ...DEFAULT_DAILY_CONFIG, ...deps.config };
  const now = deps.now;
  const clock: Clock = deps.clock ?? (now ? { ...SYSTEM_CLOCK, now: () => now().getTime() } : SYSTEM_CLOCK);
  const posters = new Map<Platform, ChannelPoster>();
  for (const [platform, poster] of Object.entries(deps.posters ?? {})) {
    if (poster) posters.set(platform as Platform, poster);
  }
  const engine = new DailyEngine({
    store: deps.store,
    posters,
    getPapers: deps.getPapers,
    clock,
    logger: deps.logger,
    limits: { ...DEFAULT_DELIVERY_LIMITS, ...deps.limits },
    metrics: deps.metrics,
  });
  let scheduling = deps.scheduledElsewhere === true;
  const commands = new DailyCommands(engine, config, () => scheduling);
  const job: Job = { name: "daily-posts", schedule: DAILY_JOB_SCHEDULE, run: () => engine.tick() };
  const jobs = new JobService([job], clock, deps.logger);

  async function applySeeds(): Promise<void> {
    for (const seed of config.seeds) {
      const channel: DailyChannel = { platform: seed.platform, channelId: seed.channelId };
      const source = `env:${seed.entry}`;
      await engine.withChannelLock(channel, async () => {
        const existing = await deps.store.getSubscription(channel);
        // An unchanged entry is not re-applied, so a `/daily off` in chat sticks until the entry changes.
        if (existing?.source === source) return;
        const at = clock.now();
        const next = existing ? { ...existing } : newSubscription(channel, at, config);
        next.enabled = true;
        next.time = seed.settings.time ?? config.defaultTime;
        next.timeZone = seed.settings.timeZone ?? config.defaultTimeZone;
        next.filters = seed.settings.filters;
        next.activeFrom =
          existing?.enabled && existing.time === next.time && existing.timeZone === next.timeZone
            ? existing.activeFrom
            : at;
        next.source = source;
        next.updatedBy = "config";
        next.updatedAt = at;
        await deps.store.saveSubscription(next);
        deps.logger.info("daily: subscription from config", {
          channel: channelKey(channel),
          entry: seed.entry,
        });
      });
    }
  }

  return {
    handle: (channel: DailyChannel, text: string, user: DailyUser): Promise<Reply> =>
      commands.handle(channel, text, user),
    setPoster(platform, poster) {
      posters.set(platform, poster);
    },
    async start() {
      scheduling = true;
      await engine.ensureSeen();
      await applySeeds();
      await jobs.runNow(job); // catch up: a day whose time passed while we were down is posted now
      jobs.start();
    },
    async stop() {
      scheduling = false;
      await jobs.stop();
      await engine.settle(SHUTDOWN_WAIT_MS);
    },
    tick: () => engine.tick(),
  };
}
