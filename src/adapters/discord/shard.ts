/**
 * One shard's process under `npm run start:sharded`. discord.js' ShardingManager sets SHARDS and
 * SHARD_COUNT in the environment and the Client picks them up, so this is the plain gateway start.
 * Daily posts run in the single-process `npm start` only (one scheduler, not one per shard). Every
 * shard opens the state (DATABASE_URL, else DATABASE_PATH) for the shared keys (long button state),
 * like `npm start`.
 */
import { loadConfig, readEnvironment } from "../../config.ts";
import { LiveCorpus } from "../../core/corpus/live-corpus.ts";
import { createLogger } from "../../core/logger.ts";
import { openState } from "../../store/state.ts";
import { startDiscordGateway } from "./gateway.ts";

const config = loadConfig(readEnvironment());
const logger = createLogger(config.logLevel);
if (!config.discord?.token) {
  logger.error("DISCORD_TOKEN is needed for a shard");
  process.exit(1);
}
const corpus = await LiveCorpus.open(config.papersPath, { logger, indexCachePath: config.indexCachePath });
corpus.watch();
const state = await openState(config, logger);
const handle = await startDiscordGateway(
  { getPapers: () => corpus.current(), logger, keys: state.keys },
  config.discord,
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    handle
      .stop()
      .finally(() => state.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
