/** `npm run register`: slash commands from COMMANDS (guild-scoped when DISCORD_GUILD_ID is set). */
import { COMMANDS } from "../../../commands/index.ts";
import { loadConfig, readEnvironment } from "../../config.ts";
import { createLogger } from "../../core/logger.ts";
import { createRest } from "./interaction-rest.ts";
import { registerCommands } from "./registration.ts";

const config = loadConfig(readEnvironment());
const logger = createLogger(config.logLevel);
const { token, applicationId, guildId, apiUrl } = config.discord ?? {};
if (!token || !applicationId) {
  logger.error("npm run register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (see .env.example)");
  process.exit(1);
}
const rest = createRest(apiUrl).setToken(token);
try {
  await registerCommands(rest, { applicationId, guildId }, COMMANDS, logger);
} catch (error) {
  logger.error("discord: registering commands failed", error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
}
