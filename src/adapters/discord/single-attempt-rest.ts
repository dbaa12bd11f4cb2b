/**
 * A REST client that makes one attempt per call. @discordjs/rest on its own resends a request after
 * a 5xx, a reset connection or its `timeout` (15 s), up to `retries` (3) times. For creating a
 * message that is unsafe: Discord may have stored it before the answer was lost, and the resend
 * posts it again inside one call its caller never sees. So message creates go through this client
 * and the caller owns every retry: the daily engine asks `wasPosted` first, a mention reply is not
 * retried. A 429 is still waited out and resent: Discord refuses those before doing anything.
 */
import { REST, type RESTOptions } from "discord.js";

export function createSingleAttemptRest(
  apiUrl: string | undefined,
  options: Partial<Omit<RESTOptions, "retries">> = {},
): REST {
  return new REST({ version: "10", ...(apiUrl ? { api: apiUrl } : {}), ...options, retries: 0 });
}
