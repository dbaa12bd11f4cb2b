/**
 * `npm run start:sharded`: one process per shard through discord.js' ShardingManager (Discord
 * requires sharding from 2,500 guilds). DISCORD_SHARD_COUNT fixes the count; otherwise Discord's
 * recommendation from GET /gateway/bot (through DISCORD_API_URL when set) decides.
 */
import { fileURLToPath } from "node:url";
import { Routes, ShardingManager } from "discord.js";
import { loadConfig, readEnvironment } from "../../config.ts";
import { createLogger } from "../../core/logger.ts";
import { createRest } from "./interaction-rest.ts";

const config = loadConfig(readEnvironment());
const logger = createLogger(config.logLevel);
const token = config.discord?.token;
if (!token) {
  logger.error("DISCORD_TOKEN is needed for npm run start:sharded");
  process.exit(1);
}

async function shardCount(): Promise<number> {
  const fixed = Number(process.env.DISCORD_SHARD_COUNT);
  if (Number.isInteger(fixed) && fixed > 0) return fixed;
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

const manager = new ShardingManager(fileURLToPath(new URL("./shard.ts", import.meta.url)), {
  token,
  totalShards: await shardCount(),
  // Each shard runs the TypeScript sources through tsx, like `npm start`.
  execArgv: ["--import", "tsx"],
});
manager.on("shardCreate", (shard) =>
  logger.info(`discord: shard ${shard.id} of ${manager.totalShards} started`),
);
await manager.spawn({ timeout: 60_000 });

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Each shard gets SIGTERM and shuts down gracefully (finishes replies, closes its gateway).
    const exits = [...manager.shards.values()].map(
      (shard) =>
        new Promise<void>((resolve) =>
          shard.process ? shard.process.once("exit", () => resolve()) : resolve(),
        ),
    );
    for (const shard of manager.shards.values()) shard.kill();
    Promise.all(exits).then(() => process.exit(0));
  });
}
