/**
 * Everything a bot process runs besides its platform adapters, built the same way by every entry
 * point (`npm start`, each Discord shard, the sharding manager): the state (PostgreSQL with
 * DATABASE_URL, else SQLite), the live corpus (data files plus papers fetched from arXiv), daily
 * posts, arXiv adds and follows, metrics and logging.
 */
import { readArxivConfig } from "./arxiv/arxiv-config.ts";
import { createArxivClient, followStoredPapers, storedPaperRecords } from "./arxiv/arxiv-runtime.ts";
import { type ArxivService, createArxivService } from "./arxiv/arxiv-service.ts";
import { type Config, checkPaths, loadConfig } from "./config.ts";
import type { ReplicatedAdapterDeps } from "./core/adapter-deps.ts";
import { LiveCorpus } from "./core/corpus/live-corpus.ts";
import type { Logger, LogLevel } from "./core/logger.ts";
import { readDailyConfig } from "./daily/daily-config.ts";
import { createDailyService, type DailyService } from "./daily/daily-service.ts";
import { createAppLogger } from "./ops/log-setup.ts";
import { createPromMetrics } from "./ops/metrics.ts";
import { type OpsConfig, readOpsConfig } from "./ops/ops-config.ts";
import { countStateErrors } from "./ops/store-errors.ts";
import { openState, type State } from "./store/state.ts";

export interface Bot {
  config: Config;
  ops: OpsConfig;
  logger: Logger;
  state: State;
  daily: DailyService;
  arxiv: ArxivService;
  /** What the adapters are given. */
  deps: ReplicatedAdapterDeps;
  registry: ReturnType<typeof createPromMetrics>["registry"];
  /** Starts daily posts and follow checks in this process. */
  startSchedules(): Promise<void>;
  /** Stops them, waiting briefly for posts being sent (before the adapters stop). */
  stopSchedules(): Promise<void>;
  /** Closes the state and the corpus watch (after the adapters stopped). */
  close(): Promise<void>;
}

export interface BotOptions {
  /** The log level when LOG_LEVEL is not set (the console keeps its screen quiet). */
  quietLevel?: LogLevel;
  /** Another process runs daily posts and follow checks (Discord shards under the manager). */
  scheduledElsewhere?: boolean;
}

/** Reads every setting first, so a start fails with the whole list before anything opens. */
export async function openBot(
  env: Record<string, string | undefined>,
  options: BotOptions = {},
): Promise<Bot> {
  const config = loadConfig(env);
  const ops = readOpsConfig(env);
  const dailyConfig = readDailyConfig(env);
  const arxivConfig = readArxivConfig(env);
  // Then the paths, once: a missing data path or state folder is a configuration problem, never created.
  checkPaths(config);
  const level = env.LOG_LEVEL || !options.quietLevel ? config.logLevel : options.quietLevel;
  const logger = createAppLogger(level, ops.logFormat);
  const { metrics, registry } = createPromMetrics();
  const state = countStateErrors(await openState(config, logger), metrics);
  const corpus = await LiveCorpus.open(config.papersPath, {
    logger,
    indexCachePath: config.indexCachePath,
    extraRecords: storedPaperRecords(state.papers),
  }).catch(async (error: unknown) => {
    await state.close();
    throw error;
  });
  corpus.watch();
  const reload = () => corpus.reload();
  const stopFollowingStore = followStoredPapers(state.papers, reload, logger);
  const getPapers = () => corpus.current();
  const scheduledElsewhere = options.scheduledElsewhere === true;
  const daily = createDailyService({
    store: state.daily,
    getPapers,
    logger,
    config: dailyConfig,
    metrics,
    scheduledElsewhere,
  });
  const arxiv = createArxivService({
    stores: state,
    client: createArxivClient(arxivConfig, logger),
    getPapers,
    reload,
    logger,
    config: arxivConfig,
    slackAnyoneCanManage: dailyConfig.slackAnyoneCanManage,
    metrics,
    scheduledElsewhere,
  });
  return {
    config,
    ops,
    logger,
    state,
    daily,
    arxiv,
    registry,
    deps: {
      getPapers,
      logger,
      daily,
      library: arxiv.library,
      follows: arxiv.follows,
      keys: state.keys,
      metrics,
    },
    async startSchedules() {
      await daily.start();
      await arxiv.start();
    },
    async stopSchedules() {
      await daily.stop();
      await arxiv.stop();
    },
    async close() {
      stopFollowingStore();
      await state.close();
      corpus.close();
    },
  };
}
