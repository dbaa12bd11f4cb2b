/**
 * Picks the Discord mode and says which one runs and why: DISCORD_PUBLIC_KEY wins (HTTP
 * interactions, no gateway, no @mentions) even when DISCORD_TOKEN is set too; DISCORD_TOKEN alone
 * is gateway mode. In HTTP mode a given token is still checked at start, so a bad one fails now
 * with the same message rather than at the first daily post.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkDiscordLogin } from "./check-login.ts";
import { startDiscordGateway } from "./gateway.ts";
import { startDiscordHttp } from "./http.ts";
import { shownApiUrl } from "./startup-errors.ts";
import type { DiscordConfig, DiscordDeps, DiscordHandle } from "./types.ts";

export function discordModeLine(config: DiscordConfig): string {
  if (config.publicKey)
    return "discord: HTTP interactions mode (DISCORD_PUBLIC_KEY is set; the gateway and @mentions are off)";
  const what = config.mentions
    ? "slash commands and @mentions over the gateway"
    : "slash commands over the gateway; @mentions are off by DISCORD_MENTIONS";
  return `discord: gateway mode (DISCORD_PUBLIC_KEY is not set; ${what})`;
}

export async function startDiscord(
  deps: DiscordDeps,
  config: DiscordConfig,
  port: number,
  options: { metricsHandler?: (request: IncomingMessage, response: ServerResponse) => Promise<boolean> } = {},
): Promise<DiscordHandle> {
  deps.logger.info(discordModeLine(config));
  if (!config.publicKey) return startDiscordGateway(deps, config);
  if (config.token) {
    deps.logger.info(
      `discord: checking DISCORD_TOKEN (for daily posts and follows) at ${shownApiUrl(config.apiUrl)}...`,
    );
    await checkDiscordLogin({ token: config.token, apiUrl: config.apiUrl });
  } else {
    deps.logger.info("discord: no DISCORD_TOKEN, so daily posts and follows cannot post to Discord");
  }
  return startDiscordHttp(deps, config, port, options);
}
