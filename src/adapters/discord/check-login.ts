/**
 * One quick GET /users/@me before anything connects: it proves DISCORD_API_URL is Discord's API,
 * that the network reaches it, and that it takes DISCORD_TOKEN. discord.js' own login resends
 * a lost request up to three times at 15 s each, so a black hole used to cost a silent minute;
 * this makes one attempt, so a refused connection fails at once and silence fails after
 * CONNECT_TIMEOUT_MS.
 */
import { Routes } from "discord.js";
import { createSingleAttemptRest } from "./single-attempt-rest.ts";
import { explainStartupError, notDiscord, type StartupContext } from "./startup-errors.ts";

/** As long as @discordjs/rest waits for one answer; Discord's API answers in well under a second. */
export const CONNECT_TIMEOUT_MS = 15_000;
const REQUEST = "GET /users/@me";

export interface BotUser {
  id: string;
  username: string;
}

export async function checkDiscordLogin(
  config: { token: string; apiUrl?: string | undefined },
  timeoutMs = CONNECT_TIMEOUT_MS,
): Promise<BotUser> {
  const context: StartupContext = { apiUrl: config.apiUrl, request: REQUEST, timeoutMs };
  // discord.js strips a pasted "Bot " prefix at login; do the same so both see one token.
  const token = config.token.replace(/^(Bot|Bearer)\s*/i, "");
  const rest = createSingleAttemptRest(config.apiUrl, { timeout: timeoutMs }).setToken(token);
  let answer: unknown;
  try {
    answer = await rest.get(Routes.user("@me"));
  } catch (error) {
    throw explainStartupError(error, context);
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
  const user = answer as Partial<BotUser> | null;
  if (typeof user?.id !== "string" || typeof user.username !== "string")
    throw notDiscord(context, "200 but no bot user");
  return { id: user.id, username: user.username };
}
