/**
 * Starts paperbot: loads and watches the corpus, then the adapters the environment asks for.
 * With no platform tokens it runs the local console.
 */
import { startConsole } from "./adapters/console/console-adapter.ts";
import { ConfigError, loadConfig, readEnvironment } from "./config.ts";
import { LiveCorpus } from "./core/corpus/live-corpus.ts";
import { createLogger } from "./core/logger.ts";

async function main(): Promise<number> {
  const env = readEnvironment();
  const config = loadConfig(env);
  const platformsWanted = Boolean(config.discord || config.slack);
  // The console shares the terminal with the logs, so it only shows warnings unless LOG_LEVEL asks for more.
  const logger = createLogger(platformsWanted || env.LOG_LEVEL ? config.logLevel : "warn");
  const corpus = await LiveCorpus.open(config.papersPath, { logger });
  corpus.watch();
  const deps = { getPapers: () => corpus.current(), logger };

  const console = startConsole({
    ...deps,
    input: process.stdin,
    output: process.stdout,
    interactive: Boolean(process.stdin.isTTY),
  });
  await console.finished;
  corpus.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigError ? error.message : `paperbot could not start: ${(error as Error).message}`}\n`,
    );
    process.exitCode = 1;
  },
);
