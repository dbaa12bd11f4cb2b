/**
 * One shard's process under `npm run start:sharded`. discord.js' ShardingManager sets SHARDS and
 * SHARD_COUNT in the environment and the Client picks them up, so this is the plain gateway start
 * with the same state, corpus and commands as `npm start`. Daily posts and follow checks run in
 * the manager (one scheduler for every shard); a shard answers `/daily`, `/follow` and `/add`, and
 * sends `/daily now` itself. A shard that cannot start says why on stderr (shared with the
 * manager) and exits 1; the manager then stops.
 */
import { type Bot, openBot } from "../../bot.ts";
import { readEnvironment } from "../../config.ts";
import { startDiscordGateway } from "./gateway.ts";
import { exitOnStartupFailure } from "./startup-failure.ts";

const shardName = `paperbot shard ${process.env.SHARDS ?? "?"}`;
let bot: Bot | undefined;
try {
  bot = await openBot(readEnvironment(), { scheduledElsewhere: true });
  const { config } = bot;
  if (!config.discord?.token) throw new Error("DISCORD_TOKEN is needed for a shard");
  const handle = await startDiscordGateway(bot.deps, config.discord);
  bot.daily.setPoster("discord", handle);
  bot.arxiv.setPoster("discord", handle);
  stopOnSignal(bot, handle);
} catch (error) {
  await exitOnStartupFailure(error, `${shardName} stopped`, async () => bot?.close());
}

function stopOnSignal(running: Bot, handle: { stop(): Promise<void> }): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      handle
        .stop()
        .finally(() => running.close())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
  }
}
