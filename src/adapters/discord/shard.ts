/**
 * One shard's process under `npm run start:sharded`. discord.js' ShardingManager sets SHARDS and
 * SHARD_COUNT in the environment and the Client picks them up, so this is the plain gateway start
 * with the same state, corpus and commands as `npm start`. Daily posts and follow checks run in
 * the manager (one scheduler for every shard); a shard answers `/daily`, `/follow` and `/add`, and
 * sends `/daily now` itself.
 */
import { openBot } from "../../bot.ts";
import { readEnvironment } from "../../config.ts";
import { startDiscordGateway } from "./gateway.ts";

const bot = await openBot(readEnvironment(), { scheduledElsewhere: true });
const { config, logger } = bot;
if (!config.discord?.token) {
  logger.error("DISCORD_TOKEN is needed for a shard");
  process.exit(1);
}
const handle = await startDiscordGateway(bot.deps, config.discord);
bot.daily.setPoster("discord", handle);
bot.arxiv.setPoster("discord", handle);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    handle
      .stop()
      .finally(() => bot.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
