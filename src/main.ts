/**
 * Starts paperbot: loads and watches the corpus, opens the daily-post state, then starts the
 * adapters the environment asks for. With no platform tokens it runs the local console.
 */
import { startConsole } from "./adapters/console/console-adapter.ts";
import { startDiscordGateway } from "./adapters/discord/gateway.ts";
import { startDiscordHttp } from "./adapters/discord/http.ts";
import { startSlack } from "./adapters/slack/start-slack.ts";
import { readArxivConfig } from "./arxiv/arxiv-config.ts";
import { createArxivClient, followStoredPapers, storedPaperRecords } from "./arxiv/arxiv-runtime.ts";
import { type ArxivService, createArxivService } from "./arxiv/arxiv-service.ts";
import { type Config, ConfigError, loadConfig, readEnvironment } from "./config.ts";
import type { AdapterDeps } from "./core/adapter-deps.ts";
import { LiveCorpus } from "./core/corpus/live-corpus.ts";
import { createLogger, type Logger } from "./core/logger.ts";
import { readDailyConfig } from "./daily/daily-config.ts";
import { createDailyService, type DailyService } from "./daily/daily-service.ts";
import { openSqliteState } from "./store/state.ts";

interface Running {
  name: string;
  stop(): Promise<void>;
}

/** Where posts (daily papers, follows) go once a platform is up. */
type PostServices = Pick<DailyService | ArxivService, "setPoster">[];

async function startPlatforms(config: Config, deps: AdapterDeps, services: PostServices): Promise<Running[]> {
  const running: Running[] = [];
  if (config.discord) {
    const discord = config.discord.publicKey
      ? await startDiscordHttp(deps, config.discord, config.port)
      : await startDiscordGateway(deps, config.discord);
    for (const service of services) service.setPoster("discord", discord);
    running.push({ name: "discord", stop: () => discord.stop() });
  }
  if (config.slack) {
    const slack = await startSlack(deps, config.slack, config.port);
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
  const onPlatforms = Boolean(config.discord || config.slack);
  // The console shares the terminal with the logs, so it shows only warnings unless LOG_LEVEL asks for more.
  const logger = createLogger(onPlatforms || env.LOG_LEVEL ? config.logLevel : "warn");
  const dailyConfig = readDailyConfig(env);
  const arxivConfig = readArxivConfig(env);
  const state = openSqliteState(config.databasePath, logger);
  const corpus = await LiveCorpus.open(config.papersPath, {
    logger,
    indexCachePath: config.indexCachePath,
    extraRecords: storedPaperRecords(state.papers),
  });
  corpus.watch();
  const reload = () => corpus.reload();
  const stopFollowingStore = followStoredPapers(state.papers, reload, logger);
  const getPapers = () => corpus.current();
  const daily = createDailyService({ store: state.daily, getPapers, logger, config: dailyConfig });
  const arxiv = createArxivService({
    stores: state,
    client: createArxivClient(arxivConfig, logger),
    getPapers,
    reload,
    logger,
    config: arxivConfig,
    slackAnyoneCanManage: dailyConfig.slackAnyoneCanManage,
  });
  const deps = { getPapers, logger, daily, library: arxiv.library, follows: arxiv.follows };
  const running: Running[] = [];
  try {
    if (onPlatforms) {
      running.push(...(await startPlatforms(config, deps, [daily, arxiv])));
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
