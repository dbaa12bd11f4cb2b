/**
 * arXiv as a source: `/add` (the library) and `/follow` (commands, checker, deliveries), with one
 * paced arXiv client for the whole process. Wiring mirrors daily posts:
 *   const arxiv = createArxivService({ stores, client, getPapers, reload, logger, config, slackAnyoneCanManage });
 *   // deps.library = arxiv.library; deps.follows = arxiv.follows; then arxiv.setPoster(platform, handle)
 *   await arxiv.start();   // seeds FOLLOW_CHANNELS, checks due follows now, then every minute
 */
import type { FollowControl, LibraryControl } from "../core/arxiv-control.ts";
import type { Platform } from "../core/command.ts";
import type { ChannelPoster } from "../core/daily-control.ts";
import type { Logger } from "../core/logger.ts";
import { type BotMetrics, NO_METRICS } from "../core/metrics.ts";
import type { PaperIndex } from "../core/paper-index.ts";
import { type Clock, SYSTEM_CLOCK } from "../daily/clock.ts";
import { type Job, JobService } from "../daily/job-service.ts";
import type { FollowStore } from "../store/follow-store.ts";
import type { PaperStore } from "../store/paper-store.ts";
import type { ArxivConfig } from "./arxiv-config.ts";
import { type ArxivSearch, DEFAULT_FOLLOW_CHECK_LIMITS, FollowChecker } from "./follow-checker.ts";
import { createFollowCommands } from "./follow-commands.ts";
import {
  DEFAULT_FOLLOW_DELIVERY_LIMITS,
  FollowDeliverer,
  type FollowDeliveryLimits,
} from "./follow-delivery.ts";
import { type ArxivLookup, createLibrary } from "./library.ts";

const SHUTDOWN_WAIT_MS = 10_000;

export interface ArxivServiceDeps {
  stores: { papers: PaperStore; follows: FollowStore };
  client: ArxivLookup & ArxivSearch;
  getPapers: () => PaperIndex;
  reload: () => Promise<unknown>;
  logger: Logger;
  config: Pick<ArxivConfig, "checkMinutes" | "seeds">;
  slackAnyoneCanManage: boolean;
  clock?: Clock;
  deliveryLimits?: Partial<FollowDeliveryLimits>;
  metrics?: BotMetrics;
  /** Another process checks follows (the sharding manager): this one only answers `/follow` and `/add`. */
  scheduledElsewhere?: boolean;
}

export interface ArxivService {
  library: LibraryControl;
  follows: FollowControl;
  setPoster(platform: Platform, poster: ChannelPoster): void;
  /** Seeds FOLLOW_CHANNELS, checks what is due (catch-up after downtime), then every minute. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One pass of the follow job. */
  tick(): Promise<void>;
}

export function createArxivService(deps: ArxivServiceDeps): ArxivService {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const { follows, papers } = deps.stores;
  const posters = new Map<Platform, ChannelPoster>();
  const metrics = deps.metrics ?? NO_METRICS;
  const deliverer = new FollowDeliverer({
    store: follows,
    posters,
    getPapers: deps.getPapers,
    clock,
    logger: deps.logger,
    limits: { ...DEFAULT_FOLLOW_DELIVERY_LIMITS, ...deps.deliveryLimits },
    metrics,
  });
  const checker = new FollowChecker({
    follows,
    papers,
    arxiv: deps.client,
    reload: deps.reload,
    deliverer,
    canPost: (follow) => posters.has(follow.platform),
    clock,
    logger: deps.logger,
    limits: { ...DEFAULT_FOLLOW_CHECK_LIMITS, checkMinutes: deps.config.checkMinutes },
    metrics,
  });
  const job: Job = { name: "follows", schedule: "* * * * *", run: () => checker.tick() };
  const jobs = new JobService([job], clock, deps.logger);
  let scheduling = deps.scheduledElsewhere === true;

  async function applySeeds(): Promise<void> {
    for (const seed of deps.config.seeds) {
      const now = clock.now();
      const added = await follows.addFollow({
        platform: seed.platform,
        channelId: seed.channelId,
        filters: seed.filters,
        source: `env:${seed.entry}`,
        createdBy: "config",
        createdAt: now,
        nextCheckAt: now,
      });
      if (added)
        deps.logger.info("follow: from config", {
          channel: `${seed.platform}:${seed.channelId}`,
          filters: seed.filters,
        });
    }
  }

  return {
    library: createLibrary({
      arxiv: deps.client,
      papers,
      getPapers: deps.getPapers,
      reload: deps.reload,
      now: () => clock.now(),
      logger: deps.logger,
      slackAnyoneCanManage: deps.slackAnyoneCanManage,
    }),
    follows: createFollowCommands({
      store: follows,
      clock,
      checkMinutes: deps.config.checkMinutes,
      slackAnyoneCanManage: deps.slackAnyoneCanManage,
      scheduling: () => scheduling,
      // A pass already running may have listed follows before this one: run once more after it.
      checkSoon: () => {
        if (!deps.scheduledElsewhere) void jobs.runNow(job).then(() => jobs.runNow(job));
      },
    }),
    setPoster(platform, poster) {
      posters.set(platform, poster);
    },
    async start() {
      scheduling = true;
      await applySeeds();
      await jobs.runNow(job);
      jobs.start();
    },
    async stop() {
      scheduling = false;
      await jobs.stop();
      await deliverer.settle(SHUTDOWN_WAIT_MS);
    },
    tick: () => checker.tick(),
  };
}
