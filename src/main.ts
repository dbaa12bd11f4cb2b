/**
 * Starts paperbot: loads and watches the corpus, opens the daily-post state, then starts the
 * adapters the environment asks for. With no platform tokens it runs the local console.
 */
import { startConsole } from "./adapters/console/console-adapter.ts";
import { startDiscordGateway } from "./adapters/discord/gateway.ts";
import { startDiscordHttp } from "./adapters/discord/http.ts";
import { startSlack } from "./adapters/slack/start-slack.ts";
import { type Config, ConfigError, loadConfig, readEnvironment } from "./config.ts";
import type { AdapterDeps } from "./core/adapter-deps.ts";
import { LiveCorpus } from "./core/corpus/live-corpus.ts";
import { createLogger, type Logger } from "./core/logger.ts";
import { readDailyConfig } from "./daily/daily-config.ts";
import { createDailyService, type DailyService } from "./daily/daily-service.ts";
import { openSqliteDailyStore } from "./daily/sqlite-daily-store.ts";

interface Running {
  name: string;
  stop(): Promise<void>;
}

async function startPlatforms(config: Config, deps: AdapterDeps, daily: DailyService): Promise<Running[]> {
  const running: Running[] = [];
  if (config.discord) {
    const discord = config.discord.publicKey
      ? await startDiscordHttp(deps, config.discord, config.port)
      : await startDiscordGateway(deps, config.discord);
    daily.setPoster("discord", discord);
    running.push({ name: "discord", stop: () => discord.stop() });
  }
  if (config.slack) {
    const slack = await startSlack(deps, config.slack, config.port);
    daily.setPoster("slack", slack);
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
  const corpus = await LiveCorpus.open(config.papersPath, {
    logger,
    indexCachePath: config.indexCachePath,
  });
  corpus.watch();
  const getPapers = () => corpus.current();
  const store = openSqliteDailyStore(config.databasePath, logger);
  const daily = createDailyService({ store, getPapers, logger, config: dailyConfig });
  const deps = { getPapers, logger, daily };
  const running: Running[] = [];
  try {
    if (onPlatforms) {
      running.push(...(await startPlatforms(config, deps, daily)));
      await daily.start();
      logger.info(`paperbot is running on ${running.map((adapter) => adapter.name).join(" and ")}`);
      await untilSignal(logger);
    } else {
      const interactive = Boolean(process.stdin.isTTY);
      const console = startConsole({ ...deps, input: process.stdin, output: process.stdout, interactive });
      daily.setPoster("console", console);
      running.push({ name: "console", stop: () => console.stop() });
      // Piped input is a script: it gets exactly the replies it asked for, no scheduled posts in between.
      if (interactive) await daily.start();
      await Promise.race([console.finished, untilSignal(logger)]);
    }
  } finally {
    await daily.stop();
    await Promise.allSettled(running.map((adapter) => adapter.stop()));
    await store.close();
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
