/**
 * What discord.js and @discordjs/rest throw while connecting ("An invalid token was provided",
 * "No Description", "connect ECONNREFUSED", "This operation was aborted"), turned into one sentence
 * that names the setting to fix. The token itself never appears in a message.
 */
import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError } from "discord.js";

export const DISCORD_API_DEFAULT = "https://discord.com/api";
const API_URL_SHAPE =
  "it should be the REST base with /api and without /v10, e.g. https://discord.com/api (or unset it to use Discord's)";

/** A start-up failure whose message is already meant for the person running the bot. */
export class DiscordStartupError extends Error {
  override name = "DiscordStartupError";
}

export interface StartupContext {
  /** DISCORD_API_URL as configured (undefined: Discord's own). */
  apiUrl: string | undefined;
  /** The request that failed, for the message, e.g. "GET /users/@me". */
  request: string;
  timeoutMs: number;
}

/** The API base as it may be shown: Discord's default when unset, any user:password@ masked. */
export function shownApiUrl(apiUrl: string | undefined): string {
  if (!apiUrl) return DISCORD_API_DEFAULT;
  return apiUrl.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1***@");
}

export function tokenRejected(): DiscordStartupError {
  return new DiscordStartupError(
    "Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Developer Portal -> your app -> Bot -> Reset Token, and set DISCORD_TOKEN to it",
  );
}

/** An answer that did not come from Discord's API (a wrong DISCORD_API_URL, a proxy or captive portal). */
export function notDiscord(context: StartupContext, what: string): DiscordStartupError {
  const url = shownApiUrl(context.apiUrl);
  return new DiscordStartupError(
    context.apiUrl
      ? `DISCORD_API_URL (${url}) does not answer like Discord's API (${context.request} answered ${what}); ${API_URL_SHAPE}`
      : `Discord's API (${url}) did not answer like Discord (${context.request} answered ${what}): something on the network (a proxy or captive portal) answered instead; check the network`,
  );
}

export function explainStartupError(error: unknown, context: StartupContext): Error {
  if (error instanceof DiscordStartupError) return error;
  if (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid)
    return tokenRejected();
  if (error instanceof DiscordAPIError) {
    const fromDiscord = isDiscordErrorBody(error.rawError);
    if (error.status === 401 && fromDiscord) return tokenRejected();
    return notDiscord(
      context,
      `${error.status}${fromDiscord ? ` "${error.message}"` : " and no Discord error"}`,
    );
  }
  if (error instanceof HTTPError) {
    return new DiscordStartupError(
      `Discord at ${shownApiUrl(context.apiUrl)} answered ${context.request} with ${error.status} ${error.message}: Discord may be having trouble (https://discordstatus.com)${context.apiUrl ? ", or the proxy at DISCORD_API_URL is" : ""}; try again later`,
    );
  }
  if (!(error instanceof Error)) return new Error(String(error));
  const code = errorCode(error);
  if (code === "ERR_INVALID_URL" || code === "UND_ERR_INVALID_ARG") {
    return new DiscordStartupError(
      `DISCORD_API_URL (${shownApiUrl(context.apiUrl)}) is not a usable URL; ${API_URL_SHAPE}`,
    );
  }
  const reason =
    error.name === "AbortError" || error.name === "TimeoutError"
      ? `no answer within ${Math.round(context.timeoutMs / 1000)} s`
      : code
        ? (NETWORK_REASONS[code] ?? code)
        : undefined;
  if (!reason) return error;
  return new DiscordStartupError(
    `could not reach Discord at ${shownApiUrl(context.apiUrl)} (${reason}): check the network${context.apiUrl ? " and DISCORD_API_URL" : " (this machine must reach discord.com over HTTPS)"}`,
  );
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPROTO: "TLS failed",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS certificate not trusted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS certificate not trusted",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate is for another host",
};

/** Node and undici put the system code on the error or on its cause ("fetch failed"). */
function errorCode(error: Error): string | undefined {
  for (const candidate of [error, (error as { cause?: unknown }).cause]) {
    const code = (candidate as { code?: unknown } | undefined)?.code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** Discord's errors are JSON objects with a numeric `code` and a `message`; anything else is someone else's page. */
function isDiscordErrorBody(body: unknown): boolean {
  return (
    typeof body === "object" &&
    body !== null &&
    !(body instanceof ArrayBuffer) &&
    typeof (body as { code?: unknown }).code === "number" &&
    typeof (body as { message?: unknown }).message === "string"
  );
}
