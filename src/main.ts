/**
 * Starts paperbot: opens the state (SQLite, or PostgreSQL with DATABASE_URL), loads and watches
 * the corpus, then starts the adapters the environment asks for, daily posts and follows. With no
 * platform tokens it runs the local console.
 */
import { startConsole } from "./adapters/console/console-adapter.ts";
import { startDiscordGateway } from "./adapters/discord/gateway.ts";
import { startDiscordHttp } from "./adapters/discord/http.ts";
import { startSlack } from "./adapters/slack/start-slack.ts";
import { readArxivConfig } from "./arxiv/arxiv-config.ts";
import { createArxivClient, followStoredPapers, storedPaperRecords } from "./arxiv/arxiv-runtime.ts";
import { type ArxivService, createArxivService } from "./arxiv/arxiv-service.ts";
import { type Config, ConfigError, loadConfig, readEnvironment } from "./config.ts";
import type { ReplicatedAdapterDeps } from "./core/adapter-deps.ts";
import { LiveCorpus } from "./core/corpus/live-corpus.ts";
import type { Logger } from "./core/logger.ts";
import { readDailyConfig } from "./daily/daily-config.ts";
import { createDailyService, type DailyService } from "./daily/daily-service.ts";
import { createAppLogger } from "./ops/log-setup.ts";
import { createPromMetrics } from "./ops/metrics.ts";
import { metricsHandler, metricsRoute, startMetricsServer } from "./ops/metrics-http.ts";
import { readOpsConfig } from "./ops/ops-config.ts";
import { countStateErrors } from "./ops/store-errors.ts";
import { openState } from "./store/state.ts";

interface Running {
  name: string;
  stop(): Promise<void>;
}

/** Where posts (daily papers, follows) go once a platform is up. */
type PostServices = Pick<DailyService | ArxivService, "setPoster">[];

/** Where GET /metrics is answered: on PORT's HTTP receivers unless METRICS_PORT has a server of its own. */
interface MetricsMount {
  handler?: ReturnType<typeof metricsHandler>;
  route?: ReturnType<typeof metricsRoute>;
}

async function startPlatforms(
  config: Config,
  deps: ReplicatedAdapterDeps,
  services: PostServices,
  metrics: MetricsMount,
): Promise<Running[]> {
  const running: Running[] = [];
  if (config.discord) {
    const discord = config.discord.publicKey
      ? await startDiscordHttp(deps, config.discord, config.port, { metricsHandler: metrics.handler })
      : await startDiscordGateway(deps, config.discord);
    for (const service of services) service.setPoster("discord", discord);
    running.push({ name: "discord", stop: () => discord.stop() });
  }
  if (config.slack) {
    const slack = await startSlack(deps, config.slack, config.port, { metricsRoute: metrics.route });
    for (const service of services) service.setPoster("slack", slack);
    running.push({ name: "slack", stop: () => slack.stop() });
  }
  return running;
}

function untilSignal(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: string) => {
      logger.info(`${signal}: finishing in-flight replies and shutting down`);
      resolve();
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
}

async function main(): Promise<void> {
  const env = readEnvironment();
  const config = loadConfig(env);
  const ops = readOpsConfig(env);
  const onPlatforms = Boolean(config.discord || config.slack);
  // The console shares the terminal with the logs, so it shows only warnings unless LOG_LEVEL asks for more.
  const logger = createAppLogger(onPlatforms || env.LOG_LEVEL ? config.logLevel : "warn", ops.logFormat);
  const dailyConfig = readDailyConfig(env);
  const arxivConfig = readArxivConfig(env);
  const { metrics, registry } = createPromMetrics();
  const state = countStateErrors(await openState(config, logger), metrics);
  const metricsServer =
    ops.metricsPort === undefined ? undefined : await startMetricsServer(ops.metricsPort, registry);
  const mount: MetricsMount =
    ops.metricsPort === undefined ? { handler: metricsHandler(registry), route: metricsRoute(registry) } : {};
  const corpus = await LiveCorpus.open(config.papersPath, {
    logger,
    indexCachePath: config.indexCachePath,
    extraRecords: storedPaperRecords(state.papers),
  });
  corpus.watch();
  const reload = () => corpus.reload();
  const stopFollowingStore = followStoredPapers(state.papers, reload, logger);
  const getPapers = () => corpus.current();
  const daily = createDailyService({ store: state.daily, getPapers, logger, config: dailyConfig, metrics });
  const arxiv = createArxivService({
    stores: state,
    client: createArxivClient(arxivConfig, logger),
    getPapers,
    reload,
    logger,
    config: arxivConfig,
    slackAnyoneCanManage: dailyConfig.slackAnyoneCanManage,
    metrics,
  });
  const deps = {
    getPapers,
    logger,
    daily,
    library: arxiv.library,
    follows: arxiv.follows,
    keys: state.keys,
    metrics,
  };
  const running: Running[] = [];
  try {
    if (onPlatforms) {
      running.push(...(await startPlatforms(config, deps, [daily, arxiv], mount)));
      await daily.start();
      await arxiv.start();
      logger.info(`paperbot is running on ${running.map((adapter) => adapter.name).join(" and ")}`);
      await untilSignal(logger);
    } else {
      const interactive = Boolean(process.stdin.isTTY);
      const console = startConsole({ ...deps, input: process.stdin, output: process.stdout, interactive });
      daily.setPoster("console", console);
      arxiv.setPoster("console", console);
      running.push({ name: "console", stop: () => console.stop() });
      // Piped input is a script: it gets exactly the replies it asked for, no scheduled posts in between.
      if (interactive) {
        await daily.start();
        await arxiv.start();
      }
      await Promise.race([console.finished, untilSignal(logger)]);
    }
  } finally {
    await daily.stop();
    await arxiv.stop();
    await Promise.allSettled(running.map((adapter) => adapter.stop()));
    stopFollowingStore();
    await metricsServer?.stop();
    await state.close();
    corpus.close();
  }
}

main().then(
  () => {
    process.exit(0);
  },
  (error: unknown) => {
    const message =
      error instanceof ConfigError ? error.message : `paperbot stopped: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    if (process.env.LOG_LEVEL === "debug") process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
