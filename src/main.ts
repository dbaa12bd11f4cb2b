/**
 * Starts paperbot: opens the state (SQLite, or PostgreSQL with DATABASE_URL), loads and watches
 * the corpus, then starts the adapters the environment asks for, daily posts and follows. With no
 * platform tokens it runs the local console.
 */
import { startConsole } from "./adapters/console/console-adapter.ts";
import { startDiscord } from "./adapters/discord/start-discord.ts";
import { startSlack } from "./adapters/slack/start-slack.ts";
import type { ArxivService } from "./arxiv/arxiv-service.ts";
import { openBot } from "./bot.ts";
import { type Config, ConfigError, loadConfig, readEnvironment } from "./config.ts";
import type { ReplicatedAdapterDeps } from "./core/adapter-deps.ts";
import type { Logger } from "./core/logger.ts";
import type { DailyService } from "./daily/daily-service.ts";
import { metricsHandler, metricsRoute, startMetricsServer } from "./ops/metrics-http.ts";

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

/** Adds each platform to `running` as soon as it is up, so a later one failing still stops it. */
async function startPlatforms(
  config: Config,
  deps: ReplicatedAdapterDeps,
  services: PostServices,
  metrics: MetricsMount,
  running: Running[],
): Promise<void> {
  if (config.discord) {
    const discord = await startDiscord(deps, config.discord, config.port, {
      metricsHandler: metrics.handler,
    });
    for (const service of services) service.setPoster("discord", discord);
    running.push({ name: "discord", stop: () => discord.stop() });
  }
  if (config.slack) {
    const slack = await startSlack(deps, config.slack, config.port, { metricsRoute: metrics.route });
    for (const service of services) service.setPoster("slack", slack);
    running.push({ name: "slack", stop: () => slack.stop() });
  }
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
  const platforms = loadConfig(env);
  const onPlatforms = Boolean(platforms.discord || platforms.slack);
  // The console shares the terminal with the logs, so it shows only warnings unless LOG_LEVEL asks for more.
  const bot = await openBot(env, onPlatforms ? {} : { quietLevel: "warn" });
  const { config, ops, logger, daily, arxiv, deps, registry } = bot;
  const running: Running[] = [];
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  try {
    metricsServer =
      ops.metricsPort === undefined ? undefined : await startMetricsServer(ops.metricsPort, registry);
    const mount: MetricsMount =
      ops.metricsPort === undefined
        ? { handler: metricsHandler(registry), route: metricsRoute(registry) }
        : {};
    if (onPlatforms) {
      await startPlatforms(config, deps, [daily, arxiv], mount, running);
      await bot.startSchedules();
      logger.info(`paperbot is running on ${running.map((adapter) => adapter.name).join(" and ")}`);
      await untilSignal(logger);
    } else {
      const interactive = Boolean(process.stdin.isTTY);
      const console = startConsole({ ...deps, input: process.stdin, output: process.stdout, interactive });
      daily.setPoster("console", console);
      arxiv.setPoster("console", console);
      running.push({ name: "console", stop: () => console.stop() });
      // Piped input is a script: it gets exactly the replies it asked for, no scheduled posts in between.
      if (interactive) await bot.startSchedules();
      await Promise.race([console.finished, untilSignal(logger)]);
    }
  } finally {
    await bot.stopSchedules();
    await Promise.allSettled(running.map((adapter) => adapter.stop()));
    await metricsServer?.stop();
    await bot.close();
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
