/**
 * `npm run start:sharded`: one process per shard through discord.js' ShardingManager (Discord
 * requires sharding from 2,500 guilds). DISCORD_SHARD_COUNT fixes the count; otherwise Discord's
 * recommendation from GET /gateway/bot (through DISCORD_API_URL when set) decides. DISCORD_SHARDS
 * ("0-7", "8-15", or "0,2,4") runs only those shards here, so several machines can split them.
 * This manager process runs daily posts and follow checks for its shards' channels through the
 * REST API; with several machines on one DATABASE_URL each post still goes out once.
 */
import { fileURLToPath } from "node:url";
import { Routes, ShardingManager } from "discord.js";
import { openBot } from "../../bot.ts";
import { readEnvironment } from "../../config.ts";
import { createRest } from "./interaction-rest.ts";
import { createDiscordRestPoster } from "./rest-poster.ts";
import { parseShardList } from "./shard-list.ts";

const env = readEnvironment();
const bot = await openBot(env);
const { config, logger } = bot;
const token = config.discord?.token;
if (!token || !config.discord) {
  logger.error("DISCORD_TOKEN is needed for npm run start:sharded");
  process.exit(1);
}
const fixedCount = env.DISCORD_SHARD_COUNT ? Number(env.DISCORD_SHARD_COUNT) : undefined;
if (fixedCount !== undefined && !(Number.isInteger(fixedCount) && fixedCount > 0)) {
  logger.error(`DISCORD_SHARD_COUNT must be a whole number from 1, got "${env.DISCORD_SHARD_COUNT}"`);
  process.exit(1);
}

async function shardCount(): Promise<number> {
  if (fixedCount !== undefined) return fixedCount;
  // discord.js' own "auto" always asks discord.com; this honours DISCORD_API_URL.
  const rest = createRest(config.discord?.apiUrl).setToken(token as string);
  try {
    const gateway = (await rest.get(Routes.gatewayBot())) as { shards: number };
    return Math.max(1, gateway.shards);
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

const totalShards = await shardCount();
const shardList = env.DISCORD_SHARDS ? parseShardList(env.DISCORD_SHARDS, totalShards) : undefined;
if (typeof shardList === "string") {
  logger.error(shardList);
  process.exit(1);
}
const manager = new ShardingManager(fileURLToPath(new URL("./shard.ts", import.meta.url)), {
  token,
  totalShards,
  ...(shardList ? { shardList } : {}),
  // Each shard runs the TypeScript sources through tsx, like `npm start`.
  execArgv: ["--import", "tsx"],
});
manager.on("shardCreate", (shard) =>
  logger.info(`discord: shard ${shard.id} of ${manager.totalShards} started`),
);
const poster = createDiscordRestPoster(config.discord, bot.state.keys);
bot.daily.setPoster("discord", poster);
bot.arxiv.setPoster("discord", poster);

// Listening before the shards spawn: a stop at any moment from here on is graceful.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Each shard gets SIGTERM and shuts down gracefully (finishes replies, closes its gateway).
    const exits = [...manager.shards.values()].map(
      (shard) =>
        new Promise<void>((resolve) =>
          shard.process && shard.process.exitCode === null
            ? shard.process.once("exit", () => resolve())
            : resolve(),
        ),
    );
    for (const shard of manager.shards.values()) shard.kill();
    Promise.all([bot.stopSchedules(), ...exits])
      .then(() => {
        poster.stop();
        return bot.close();
      })
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}

await manager.spawn({ timeout: 60_000 });
if (!stopping) {
  await bot.startSchedules();
  logger.info(
    `discord: daily posts and follows run in the sharding manager (shards ${[...manager.shards.keys()].join(",")})`,
  );
}
