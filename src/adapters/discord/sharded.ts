/**
 * `npm run start:sharded`: one process per shard through discord.js' ShardingManager (Discord
 * requires sharding from 2,500 guilds). DISCORD_SHARD_COUNT fixes the count; otherwise Discord's
 * recommendation from GET /gateway/bot (through DISCORD_API_URL when set) decides. DISCORD_SHARDS
 * ("0-7", "8-15", or "0,2,4") runs only those shards here, so several machines can split them.
 * This manager process runs daily posts and follow checks for its shards' channels through the
 * REST API; with several machines on one DATABASE_URL each post still goes out once.
 *
 * The token, DISCORD_API_URL and the network are checked here before any shard starts, so those
 * mistakes give the same one-line message as `npm start`. A shard that still fails to start stops
 * the others and the manager (exit 1) instead of being respawned in a loop.
 */
import { fileURLToPath } from "node:url";
import { Routes, type Shard, ShardingManager } from "discord.js";
import { type Bot, openBot } from "../../bot.ts";
import { readEnvironment } from "../../config.ts";
import { CONNECT_TIMEOUT_MS, checkDiscordLogin } from "./check-login.ts";
import { createDiscordRestPoster } from "./rest-poster.ts";
import { parseShardList } from "./shard-list.ts";
import { createSingleAttemptRest } from "./single-attempt-rest.ts";
import { DiscordStartupError, explainStartupError, shownApiUrl } from "./startup-errors.ts";
import { exitOnStartupFailure } from "./startup-failure.ts";
import type { DiscordConfig } from "./types.ts";

/**
 * Each shard runs what this manager runs: the compiled shard.js with plain node when this file is
 * compiled (`npm run start:sharded`), the TypeScript source through tsx when it is run as source.
 */
const COMPILED = import.meta.url.endsWith(".js");
const SHARD_FILE = fileURLToPath(new URL(COMPILED ? "./shard.js" : "./shard.ts", import.meta.url));
const SHARD_EXEC_ARGV = COMPILED ? [] : ["--import", "tsx"];

/** How long one shard may take to connect and become ready. */
const SHARD_READY_TIMEOUT_MS = 60_000;

type TokenConfig = DiscordConfig & { token: string };

async function shardCount(config: TokenConfig, fixedCount: number | undefined): Promise<number> {
  if (fixedCount !== undefined) return fixedCount;
  // discord.js' own "auto" always asks discord.com; this honours DISCORD_API_URL.
  const rest = createSingleAttemptRest(config.apiUrl, { timeout: CONNECT_TIMEOUT_MS }).setToken(config.token);
  try {
    const gateway = (await rest.get(Routes.gatewayBot())) as { shards: number };
    return Math.max(1, gateway.shards);
  } catch (error) {
    throw explainStartupError(error, {
      apiUrl: config.apiUrl,
      request: "GET /gateway/bot",
      timeoutMs: CONNECT_TIMEOUT_MS,
    });
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

function readShardCount(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const count = Number(text);
  if (!(Number.isInteger(count) && count > 0))
    throw new Error(`DISCORD_SHARD_COUNT must be a whole number from 1, got "${text}"`);
  return count;
}

/** Stops every shard process, each waiting to exit (gracefully on SIGTERM), never respawned. */
async function stopShards(manager: ShardingManager): Promise<void> {
  manager.respawn = false;
  const exits = [...manager.shards.values()].map(
    (shard) =>
      new Promise<void>((resolve) =>
        shard.process && shard.process.exitCode === null
          ? shard.process.once("exit", () => resolve())
          : resolve(),
      ),
  );
  for (const shard of manager.shards.values()) if (shard.process) shard.kill();
  await Promise.all(exits);
}

async function main(bot: Bot, env: Record<string, string | undefined>): Promise<void> {
  const { config, logger } = bot;
  const discord = config.discord;
  if (!discord?.token) throw new Error("DISCORD_TOKEN is needed for npm run start:sharded");
  const tokenConfig: TokenConfig = { ...discord, token: discord.token };
  const fixedCount = readShardCount(env.DISCORD_SHARD_COUNT);
  logger.info(`discord: connecting to Discord at ${shownApiUrl(discord.apiUrl)}...`);
  await checkDiscordLogin(tokenConfig);
  const totalShards = await shardCount(tokenConfig, fixedCount);
  const shardList = env.DISCORD_SHARDS ? parseShardList(env.DISCORD_SHARDS, totalShards) : undefined;
  if (typeof shardList === "string") throw new Error(shardList);

  const manager = new ShardingManager(SHARD_FILE, {
    token: discord.token,
    totalShards,
    ...(shardList ? { shardList } : {}),
    execArgv: SHARD_EXEC_ARGV,
    // Not while starting: a shard that cannot start would start again and again. Switched on once all are up.
    respawn: false,
  });
  manager.on("shardCreate", (shard) =>
    logger.info(`discord: shard ${shard.id} of ${manager.totalShards} started`),
  );
  const poster = createDiscordRestPoster(discord, bot.state.keys);
  bot.daily.setPoster("discord", poster);
  bot.arxiv.setPoster("discord", poster);

  // Listening before the shards spawn: a stop at any moment from here on is graceful.
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      // Each shard gets SIGTERM and shuts down gracefully (finishes replies, closes its gateway).
      Promise.all([bot.stopSchedules(), stopShards(manager)])
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

  try {
    await manager.spawn({ timeout: SHARD_READY_TIMEOUT_MS });
  } catch (error) {
    if (stopping) return;
    stopping = true;
    await stopShards(manager);
    poster.stop();
    throw shardFailure(error, manager);
  }
  if (stopping) return;
  manager.respawn = true;
  await bot.startSchedules();
  logger.info(
    `discord: daily posts and follows run in the sharding manager (shards ${[...manager.shards.keys()].join(",")})`,
  );
}

/** The shard printed its own reason on the shared stderr; this names which one and points there. */
function shardFailure(error: unknown, manager: ShardingManager): Error {
  const failed = [...manager.shards.values()].find((shard: Shard) => !shard.ready);
  const which = failed ? `shard ${failed.id}` : "a shard";
  const code = (error as { code?: string }).code;
  const how =
    code === "ShardingReadyTimeout"
      ? `did not become ready within ${SHARD_READY_TIMEOUT_MS / 1000} s`
      : "stopped before it was ready";
  return new DiscordStartupError(`${which} ${how} (its reason is above); every shard was stopped`);
}

const env = readEnvironment();
let bot: Bot | undefined;
try {
  bot = await openBot(env);
  await main(bot, env);
} catch (error) {
  await exitOnStartupFailure(error, "paperbot stopped", async () => bot?.close());
}
